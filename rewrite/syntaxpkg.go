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
	goFiles, why := typesNeeded(files, imports, where, forEach)
	if why != "" {
		return nil, why
	}
	local := &localTypes{fset: fset, path: path, files: files, imports: imports}
	facts, why := syntaxPackageFacts(files, local, where, forEach)
	if why != "" {
		return nil, why
	}
	out := &Syntax{Facts: facts, GoCalls: make([][]GoCall, len(files))}
	for _, i := range goFiles {
		if out.GoCalls[i], why = localGoCalls(files[i], local, where); why != "" {
			return nil, why
		}
	}
	return out, ""
}

// localGoCalls is GoCalls(f) from local types, or why they do not tell.
func localGoCalls(f *ast.File, local *localTypes, where func(ast.Node, string, ...any) string) ([]GoCall, string) {
	info, pkg := local.check()
	for _, g := range goStatements(f) {
		// Literals get zero entries (gen-wrapped ones need the runtime's
		// import, which needs types).
		if _, lit := g.Call.Fun.(*ast.FuncLit); !lit && !local.spellsGo(g) {
			return nil, where(g, "go statement with types the package alone does not tell")
		}
	}
	return GoCalls(f, info, pkg), ""
}

// typesNeeded is SyntaxPackage's check of imports and signatures; it also
// returns the indexes of the files with go statements whose function is not
// a literal.
func typesNeeded(files []*ast.File, imports func(path string) (Import, bool), where func(ast.Node, string, ...any) string, forEach func(int, func(int))) (goFiles []int, why string) {
	// One walk per file, each on its own.
	fileAliases := make([]map[string]bool, len(files)) // alias names declared anywhere in each
	sigs := make([][]*ast.FuncType, len(files))
	hasGo := make([]bool, len(files))
	whys := make([]string, len(files))
	forEach(len(files), func(i int) {
		f, aliases := files[i], map[string]bool{}
		fileAliases[i] = aliases
		var why string
		defer func() { whys[i] = why }()
		if c := attrsDirective(f); c != nil {
			why = where(c, "attrs= records values by their types")
			return
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if why != "" {
				return false
			}
			// Only a type can shadow error where it is used as a type
			// (a value would not compile).
			var names []*ast.Ident
			switch x := n.(type) {
			case *ast.TypeSpec:
				if x.Assign.IsValid() {
					aliases[x.Name.Name] = true
				}
				names = []*ast.Ident{x.Name}
				if x.TypeParams != nil {
					for _, tp := range x.TypeParams.List {
						names = append(names, tp.Names...)
					}
				}
			case *ast.FuncDecl:
				sigs[i] = append(sigs[i], x.Type)
				if x.Recv != nil && len(x.Recv.List) > 0 {
					ast.Inspect(x.Recv.List[0].Type, func(n ast.Node) bool {
						if id, ok := n.(*ast.Ident); ok {
							names = append(names, id) // receiver type parameters, conservatively
						}
						return true
					})
				}
			case *ast.FuncLit:
				sigs[i] = append(sigs[i], x.Type)
			case *ast.GoStmt:
				// A go statement gen wrapped needs the runtime's import,
				// checked in fileNeedsTypes.
				if _, lit := x.Call.Fun.(*ast.FuncLit); !lit {
					hasGo[i] = true
				}
			case *ast.FuncType:
				if x.TypeParams != nil {
					for _, tp := range x.TypeParams.List {
						names = append(names, tp.Names...)
					}
				}
			}
			for _, id := range names {
				if id.Name == "error" {
					why = where(id, "declares error")
				}
			}
			return why == ""
		})
	})
	aliases := map[string]bool{}
	for i := range files {
		if whys[i] != "" {
			return nil, whys[i]
		}
		for n := range fileAliases[i] {
			aliases[n] = true
		}
	}
	for i, f := range files {
		if why := fileNeedsTypes(f, sigs[i], aliases, imports, where); why != "" {
			return nil, why
		}
		if hasGo[i] {
			goFiles = append(goFiles, i)
		}
	}
	return goFiles, ""
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
// signatures of its functions, sigs.
func fileNeedsTypes(f *ast.File, sigs []*ast.FuncType, aliases map[string]bool, imports func(string) (Import, bool), where func(ast.Node, string, ...any) string) string {
	imps := importsOf(f)
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
	for _, ft := range sigs {
		if why := sig(ft); why != "" {
			return why
		}
	}
	return ""
}
