package rewrite

import (
	"go/ast"
	"go/types"
)

// Facts is what the rewriter needs to know about one function's signature.
// A context or request parameter the function keeps (see keepFacts) is
// reported as Kept, not as Ctx or Request: gen takes the span's parent from
// it but must not rebind it.
// Parameters are counted one per name (an unnamed parameter counts once),
// so `(a, b int, ctx context.Context)` has Ctx == 2.
type Facts struct {
	Ctx         int  // first context.Context parameter, or -1
	Request     int  // first *net/http.Request parameter, or -1
	KeptCtx     int  // a context.Context parameter the function keeps, or -1
	KeptRequest int  // a *net/http.Request parameter the function keeps, or -1
	Error       bool // the last result is error
}

var noFacts = Facts{Ctx: -1, Request: -1, KeptCtx: -1, KeptRequest: -1}

// TypeFacts derives Facts for every function of f, in the order of
// functions(f), from the type checker's view of it. Context and request
// parameters are found by type, so aliases, renamed imports and any
// position work.
func TypeFacts(f *ast.File, info *types.Info) []Facts {
	u := newUnit(f)
	return keepAllOf(u.fns, rawTypeFacts(u, info))
}

// rawTypeFacts is TypeFacts of u before keepFacts.
func rawTypeFacts(u *unit, info *types.Info) []Facts {
	fns := u.fns
	out := make([]Facts, len(fns))
	var syntax []Facts // for functions the type checker did not see
	for i, fn := range fns {
		var sig *types.Signature
		if fn.decl != nil {
			if obj, ok := info.Defs[fn.decl.Name].(*types.Func); ok {
				sig, _ = obj.Type().(*types.Signature)
			}
		} else if tv, ok := info.Types[fn.lit]; ok {
			sig, _ = tv.Type.(*types.Signature)
		}
		if sig == nil {
			if syntax == nil {
				syntax = rawSyntaxFacts(u.imps, fns)
			}
			out[i] = syntax[i]
			continue
		}
		out[i] = sigFacts(sig)
	}
	return out
}

func sigFacts(sig *types.Signature) Facts {
	f := noFacts
	for i := 0; i < sig.Params().Len(); i++ {
		t := sig.Params().At(i).Type()
		if f.Ctx < 0 && isNamed(t, "context", "Context") {
			f.Ctx = i
		}
		if f.Request < 0 {
			if p, ok := types.Unalias(t).(*types.Pointer); ok && isNamed(p.Elem(), "net/http", "Request") {
				f.Request = i
			}
		}
	}
	if r := sig.Results(); r.Len() > 0 {
		f.Error = types.Identical(r.At(r.Len()-1).Type(), types.Universe.Lookup("error").Type())
	}
	return f
}

func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == pkg && obj.Name() == name && n.TypeArgs() == nil
}

// SyntaxFacts derives Facts for every function of f from spelling alone:
// context.Context and *http.Request through the file's imports of
// "context" and "net/http", and a last result spelled error. It is what
// the rewriter falls back to without type information (fuzzing, files that
// do not type-check); TypeFacts is the accurate one.
func SyntaxFacts(f *ast.File) []Facts {
	u := newUnit(f)
	return keepAllOf(u.fns, rawSyntaxFacts(u.imps, u.fns))
}

// rawSyntaxFacts is SyntaxFacts before keepFacts of the functions fns of
// a file whose import table is imps.
func rawSyntaxFacts(imps []fileImport, fns []*function) []Facts {
	names := importNames(imps, spelledName) // local name -> import path
	isSel := func(e ast.Expr, path, name string) bool {
		s, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x, ok := s.X.(*ast.Ident)
		return ok && names[x.Name] == path && s.Sel.Name == name
	}
	out := make([]Facts, len(fns))
	for i, fn := range fns {
		facts := noFacts
		ft := fn.funcType()
		idx := 0
		for _, field := range ft.Params.List {
			n := max(len(field.Names), 1)
			if facts.Ctx < 0 && isSel(field.Type, "context", "Context") {
				facts.Ctx = idx
			}
			if star, ok := field.Type.(*ast.StarExpr); ok && facts.Request < 0 && isSel(star.X, "net/http", "Request") {
				facts.Request = idx
			}
			idx += n
		}
		if ft.Results != nil && len(ft.Results.List) > 0 {
			last := ft.Results.List[len(ft.Results.List)-1].Type
			id, ok := last.(*ast.Ident)
			facts.Error = ok && id.Name == "error"
		}
		out[i] = facts
	}
	return out
}

// NewTypesInfo returns a types.Info with every map the rewriter reads
// (PackageFacts, TypeFacts, GoCalls, Signatures): the one to type-check a
// package with for them. A map left out would not fail; what it holds
// would silently be missing (a method expression would be taken for a
// method value). Loaders that make their own (go/packages) check theirs
// with TypesInfoMissing.
func NewTypesInfo() *types.Info {
	return &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Instances:  map[*ast.Ident]types.Instance{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
}

// TypesInfoMissing names the maps of NewTypesInfo that info lacks, in
// that order; none for a types.Info the rewriter can use.
func TypesInfoMissing(info *types.Info) []string {
	var out []string
	for _, m := range []struct {
		name string
		nil  bool
	}{
		{"Types", info.Types == nil},
		{"Defs", info.Defs == nil},
		{"Uses", info.Uses == nil},
		{"Implicits", info.Implicits == nil},
		{"Instances", info.Instances == nil},
		{"Selections", info.Selections == nil},
	} {
		if m.nil {
			out = append(out, m.name)
		}
	}
	return out
}
