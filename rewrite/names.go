package rewrite

import (
	"go/ast"
	"go/token"
)

// declaredNames returns the names n declares anywhere inside it.
func declaredNames(n ast.Node) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, e := range x.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range x.Names {
				names[id.Name] = true
			}
		case *ast.TypeSpec:
			names[x.Name.Name] = true
		case *ast.Field:
			for _, id := range x.Names {
				names[id.Name] = true
			}
		}
		return true
	})
	return names
}

// nameParam returns the name of the idx'th parameter, naming it first if it
// is unnamed or _. Naming one parameter of an unnamed list names them all
// (the others _), as Go requires.
func (g *generator) nameParam(params *ast.FieldList, idx int, base string, taken map[string]bool) (string, []edit) {
	i := 0
	for _, f := range params.List {
		if len(f.Names) == 0 {
			break // an unnamed list
		}
		for _, n := range f.Names {
			if i == idx {
				if n.Name != "_" {
					return n.Name, nil
				}
				name := fresh(base+"_", taken)
				return name, []edit{{g.off(n.Pos()), g.off(n.End()), name}}
			}
			i++
		}
	}
	var edits []edit
	name := fresh(base, taken)
	for j, f := range params.List {
		text := "_ "
		if j == idx {
			text = name + " "
		}
		edits = append(edits, edit{g.off(f.Type.Pos()), g.off(f.Type.Pos()), text})
	}
	return name, edits
}

// nameError returns the name of the last result, an error, naming it first
// when it is unnamed or _.
func (g *generator) nameError(results *ast.FieldList, taken map[string]bool) (string, []edit) {
	last := results.List[len(results.List)-1]
	if len(last.Names) > 0 {
		n := last.Names[len(last.Names)-1]
		if n.Name != "_" {
			return n.Name, nil
		}
		name := fresh("__err_", taken)
		return name, []edit{{g.off(n.Pos()), g.off(n.End()), name}}
	}
	base := "__err"
	if len(results.List) == 1 && results.Opening.IsValid() {
		base = "__errp" // keep "(error)" as written
	}
	name := fresh(base, taken)
	var edits []edit
	for j, f := range results.List {
		text := "_ "
		if j == len(results.List)-1 {
			text = name + " "
		}
		at := g.off(f.Type.Pos())
		if !results.Opening.IsValid() {
			text = "(" + text
		}
		edits = append(edits, edit{at, at, text})
	}
	if !results.Opening.IsValid() {
		edits = append(edits, edit{g.off(last.Type.End()), g.off(last.Type.End()), ")"})
	}
	return name, edits
}
