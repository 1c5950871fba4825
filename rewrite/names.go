package rewrite

import (
	"go/ast"
	"go/token"
)

// declKind is how an identifier is declared.
type declKind uint8

const (
	declDefine    declKind = iota // by := in an assignment or a range clause
	declValue                     // in a var or const spec
	declType                      // in a type spec that is not an alias
	declAlias                     // in a type spec with =
	declTypeParam                 // as a type parameter of a type or function
	declParam                     // as a parameter or result (a receiver's name too)
	declField                     // as a field of a struct or a method of an interface
	declRecvType                  // in a method's receiver type: the type, its type parameters
	declImport                    // as an import's written name ("_" and "." too)
	declFunc                      // as a function declaration without a receiver
	declMethod                    // as a method declaration
	declLabel                     // as a statement's label
)

// declKinds is a set of declKind.
type declKinds uint16

func kinds(ks ...declKind) declKinds {
	var set declKinds
	for _, k := range ks {
		set |= 1 << k
	}
	return set
}

func (set declKinds) has(k declKind) bool { return set&(1<<k) != 0 }

// declared is one identifier a declaration declares.
type declared struct {
	id   *ast.Ident
	kind declKind
	top  bool // at package level
}

// walkDeclarations calls visit for every identifier n declares, in
// source order, with how, until visit returns false: the one walk for
// every view of declared names (declaredNames, ScopeNames, localNames,
// declares, the types-needed check). Names are at package level only when
// n is a file.
func walkDeclarations(n ast.Node, visit func(declared) bool) {
	top := topSpecs(n)
	more := true
	ast.Inspect(n, func(x ast.Node) bool {
		if more {
			declaredAt(x, top, func(d declared) { more = more && visit(d) })
		}
		return more
	})
}

// topSpecs is the package-level specs of n when it is a file.
func topSpecs(n ast.Node) map[ast.Spec]bool {
	f, ok := n.(*ast.File)
	if !ok {
		return nil
	}
	top := map[ast.Spec]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok {
			for _, s := range g.Specs {
				top[s] = true
			}
		}
	}
	return top
}

// declaredAt calls visit for each identifier the node x itself declares
// (not those of the nodes inside it), top holding the package-level specs.
// Field lists are read where they belong (a function's type, a receiver, a
// type's parameters, a struct or interface), so each name is seen once.
func declaredAt(x ast.Node, top map[ast.Spec]bool, visit func(declared)) {
	fields := func(fl *ast.FieldList, kind declKind) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				visit(declared{id, kind, false})
			}
		}
	}
	switch x := x.(type) {
	case *ast.FuncDecl:
		fields(x.Recv, declParam)
		if x.Recv != nil {
			for _, f := range x.Recv.List {
				ast.Inspect(f.Type, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok {
						visit(declared{id, declRecvType, false}) // receiver type parameters, conservatively
					}
					return true
				})
			}
			visit(declared{x.Name, declMethod, true})
		} else {
			visit(declared{x.Name, declFunc, true})
		}
	case *ast.FuncType:
		fields(x.TypeParams, declTypeParam)
		fields(x.Params, declParam)
		fields(x.Results, declParam)
	case *ast.StructType:
		fields(x.Fields, declField)
	case *ast.InterfaceType:
		fields(x.Methods, declField)
	case *ast.TypeSpec:
		kind := declType
		if x.Assign.IsValid() {
			kind = declAlias
		}
		visit(declared{x.Name, kind, top[x]})
		fields(x.TypeParams, declTypeParam)
	case *ast.ValueSpec:
		for _, id := range x.Names {
			visit(declared{id, declValue, top[x]})
		}
	case *ast.ImportSpec:
		if x.Name != nil {
			visit(declared{x.Name, declImport, top[x]})
		}
	case *ast.AssignStmt:
		if x.Tok == token.DEFINE {
			for _, e := range x.Lhs {
				if id, ok := e.(*ast.Ident); ok {
					visit(declared{id, declDefine, false})
				}
			}
		}
	case *ast.RangeStmt:
		if x.Tok == token.DEFINE {
			for _, e := range []ast.Expr{x.Key, x.Value} {
				if id, ok := e.(*ast.Ident); ok {
					visit(declared{id, declDefine, false})
				}
			}
		}
	case *ast.LabeledStmt:
		visit(declared{x.Label, declLabel, false})
	}
}

// valueNames are the kinds of declaration declaredNames collects: values,
// types and fields, not functions, imports, receiver types or labels.
var valueNames = kinds(declDefine, declValue, declType, declAlias, declTypeParam, declParam, declField)

// declaredNames returns the names n declares anywhere inside it as one
// of set.
func declaredNames(n ast.Node, set declKinds) map[string]bool {
	names := map[string]bool{}
	walkDeclarations(n, func(d declared) bool {
		if set.has(d.kind) {
			names[d.id.Name] = true
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
