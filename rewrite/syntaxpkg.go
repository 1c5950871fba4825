package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// Import is what is known about an imported package without type-checking
// it.
type Import struct {
	Name string // its package name

	// Alias reports whether the package may declare the exported name as
	// an alias (nil: any name may). A type named by such a name may be
	// context.Context, *net/http.Request or error, and cannot be spelled
	// from its name alone.
	Alias func(name string) bool

	// Std says the package is the standard library's, none of whose
	// aliases stands for context.Context, *net/http.Request or error (a
	// test checks it): for facts, Alias need not be asked.
	Std bool
}

// mayAlias reports whether imp's name may stand for a type facts are
// about.
func (imp Import) mayAlias(name string) bool {
	return !imp.Std && (imp.Alias == nil || imp.Alias(name))
}

// Syntax is what Gen needs of each file of a package, as SyntaxPackage
// derives it: Facts and GoCalls by file.
type Syntax struct {
	Facts   [][]Facts
	GoCalls [][]GoCall
}

// SyntaxPackage returns what PackageFacts and GoCalls would for the files
// of the package path (all of them, as the compiler sees them) without
// loading any other package, or why that cannot be known without types.
// When it returns no reason, Gen with these inputs and ScopeNames as
// PackageNames gives every file of the package the same bytes as with the
// complete type checker's. imports describes an import path, or reports
// false when nothing is known about it.
//
// It is conservative: types are needed when a file imports "C" or the
// runtime (instrumented code: gen must see it as the type checker does), has
// a span directive with attrs=, a dot import of an unknown package, a parameter or last result whose type
// may be an alias (declared in the package, or a qualified name of a
// package that declares one or of an unknown package) or is parenthesised,
// declares a type named error, or when a go statement or the keeping of a
// context or request (see syntaxPackageFacts) involves what the package
// alone does not tell (see localTypes).
func SyntaxPackage(fset *token.FileSet, path string, files []*ast.File, imports func(path string) (Import, bool)) (*Syntax, string) {
	return syntaxPackage(fset, path, files, imports, Prepare{}.forEach)
}

// syntaxPackage is SyntaxPackage with the per-file work run by forEach
// (see Prepare.ForEach).
func syntaxPackage(fset *token.FileSet, path string, files []*ast.File, imports func(path string) (Import, bool), forEach func(int, func(int))) (*Syntax, string) {
	where := func(n ast.Node, format string, args ...any) string {
		p := fset.Position(n.Pos())
		return fmt.Sprintf("%s:%d: %s", p.Filename, p.Line, fmt.Sprintf(format, args...))
	}
	scans := make([]*fileScan, len(files))
	forEach(len(files), func(i int) { scans[i] = scanFile(files[i], where) })
	if why := typesNeeded(scans, imports, where); why != "" {
		return nil, why
	}
	units := make([]*unit, len(scans))
	for i, sc := range scans {
		units[i] = sc.unit
	}
	local := &localTypes{fset: fset, path: path, units: units, imports: imports}
	facts, why := syntaxPackageFacts(scans, local, where)
	if why != "" {
		return nil, why
	}
	out := &Syntax{Facts: facts, GoCalls: make([][]GoCall, len(files))}
	for i, sc := range scans {
		if sc.hasGo {
			if out.GoCalls[i], why = localGoCalls(sc.unit, local, where); why != "" {
				return nil, why
			}
		}
	}
	return out, ""
}

// localGoCalls is GoCalls(u.file) from local types, or why they do not
// tell.
func localGoCalls(u *unit, local *localTypes, where func(ast.Node, string, ...any) string) ([]GoCall, string) {
	info, pkg := local.check()
	for _, g := range goStatements(u.file) {
		// Literals get zero entries (gen-wrapped ones need the runtime's
		// import, which needs types).
		if _, lit := g.Call.Fun.(*ast.FuncLit); !lit && !local.spellsGo(g) {
			return nil, where(g, "go statement with types the package alone does not tell")
		}
	}
	return goCalls(u.file, u.imps, info, pkg), ""
}

// fileScan is what SyntaxPackage reads of one file on its own, in one
// walk of it (besides its unit's): scanFile's work, independent of every
// other file's.
type fileScan struct {
	*unit
	raw   []Facts    // of each function, before keeping
	facts []Facts    // after keepFacts
	decls []declared // every name it declares
	hasGo bool       // it has a go statement whose function is not a literal
	why   string     // why it needs types on its own (attrs=, declares error)
}

// errorShadows are the kinds of declaration whose name error would stand
// for a type: only a type can shadow error where it is used as a type (a
// value would not compile).
var errorShadows = kinds(declType, declAlias, declTypeParam, declRecvType)

func scanFile(f *ast.File, where func(ast.Node, string, ...any) string) *fileScan {
	s := &fileScan{unit: newUnit(f)}
	if c := attrsDirective(f); c != nil {
		s.why = where(c, "attrs= records values by their types")
		return s
	}
	top := topSpecs(f)
	ast.Inspect(f, func(n ast.Node) bool {
		// A go statement gen wrapped needs the runtime's import, checked
		// in fileNeedsTypes.
		if g, ok := n.(*ast.GoStmt); ok {
			if _, lit := g.Call.Fun.(*ast.FuncLit); !lit {
				s.hasGo = true
			}
		}
		declaredAt(n, top, func(d declared) {
			s.decls = append(s.decls, d)
			if s.why == "" && errorShadows.has(d.kind) && d.id.Name == "error" {
				s.why = where(d.id, "declares error")
			}
		})
		return s.why == ""
	})
	if s.why == "" {
		s.raw = rawSyntaxFacts(s.imps, s.fns)
		s.facts = keepAllOf(s.fns, slices.Clone(s.raw))
	}
	return s
}

// typesNeeded is SyntaxPackage's check of what each file says on its own,
// then of its imports and signatures.
func typesNeeded(scans []*fileScan, imports func(path string) (Import, bool), where func(ast.Node, string, ...any) string) string {
	aliases := map[string]bool{} // alias names declared anywhere in the package
	for _, sc := range scans {
		if sc.why != "" {
			return sc.why
		}
		for _, d := range sc.decls {
			if d.kind == declAlias {
				aliases[d.id.Name] = true
			}
		}
	}
	for _, sc := range scans {
		if why := fileNeedsTypes(sc.unit, aliases, imports, where); why != "" {
			return why
		}
	}
	return ""
}

// attrsDirective returns the first span directive of f with attrs=, or
// nil.
func attrsDirective(f *ast.File) *ast.Comment {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if rest, ok := strings.CutPrefix(c.Text, directivePrefix+"span "); ok && strings.Contains(rest, "attrs=") {
				return c
			}
		}
	}
	return nil
}

// fileNeedsTypes is typesNeeded's check of one file's imports and the
// signatures of its functions.
func fileNeedsTypes(u *unit, aliases map[string]bool, imports func(string) (Import, bool), where func(ast.Node, string, ...any) string) string {
	imps := u.imps
	pkgs := map[string]Import{}
	var dots []Import
	for _, imp := range imps {
		path := imp.path
		switch {
		case imp.bad:
			return where(imp.spec, "bad import path")
		case path == "C" || path == RuntimePath:
			return where(imp.spec, "imports %s", path)
		case imp.written == ".":
			// Its names are the file's: a type it declares as an alias
			// (or context.Context, http.Request) might be a parameter's.
			info, ok := imports(path)
			if !ok || path == "context" || path == "net/http" {
				return where(imp.spec, "dot import of %s", path)
			}
			dots = append(dots, info)
			continue
		}
		if info, ok := imports(path); ok {
			pkgs[path] = info
		}
	}
	// Local name -> path (a dot import's name, ".", names nothing):
	syntax := importNames(imps, spelledName) // as rawSyntaxFacts sees them
	known := importNames(imps, compilerName(func(path string) (Import, bool) {
		info, ok := pkgs[path]
		return info, ok
	})) // as the compiler sees them
	// typ is the check of one parameter or last result type.
	typ := func(e ast.Expr) string {
		if s, ok := e.(*ast.StarExpr); ok {
			e = s.X
		}
		switch x := e.(type) {
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		}
		switch x := e.(type) {
		case *ast.ParenExpr:
			return where(x, "parenthesised type")
		case *ast.Ident:
			if aliases[x.Name] || slices.ContainsFunc(dots, func(imp Import) bool { return imp.mayAlias(x.Name) }) {
				return where(x, "%s may be an alias", x.Name)
			}
		case *ast.SelectorExpr:
			id, ok := x.X.(*ast.Ident)
			if !ok {
				return where(x, "unknown type")
			}
			path, ok := known[id.Name]
			if !ok {
				return where(x, "%s.%s: package %s unknown", id.Name, x.Sel.Name, id.Name)
			}
			// rawSyntaxFacts names an unnamed import by its last element,
			// which may not be its package name: where that could decide,
			// both views must agree.
			spelled := syntax[id.Name]
			if (path == "context" || spelled == "context") && x.Sel.Name == "Context" ||
				(path == "net/http" || spelled == "net/http") && x.Sel.Name == "Request" {
				if spelled != path {
					return where(x, "%s.%s: package %s ambiguous", id.Name, x.Sel.Name, id.Name)
				}
				return ""
			}
			if info, ok := pkgs[path]; !ok || info.mayAlias(x.Sel.Name) {
				return where(x, "%s.%s may be an alias", path, x.Sel.Name)
			}
		}
		return ""
	}
	sig := func(ft *ast.FuncType) string {
		for _, field := range ft.Params.List {
			if why := typ(field.Type); why != "" {
				return why
			}
		}
		if ft.Results != nil && len(ft.Results.List) > 0 {
			return typ(ft.Results.List[len(ft.Results.List)-1].Type)
		}
		return ""
	}
	for _, fn := range u.fns {
		if why := sig(fn.funcType()); why != "" {
			return why
		}
	}
	return ""
}
