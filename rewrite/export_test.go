package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
)

// SyntaxKeeping is PackageFacts with syntax's resolution of calls (by
// name, then local types) in place of the type checker's: the fixed
// point from TypeFacts before keeping. It returns why syntax cannot tell,
// or "".
func SyntaxKeeping(fset *token.FileSet, path string, files []*ast.File, info *types.Info, imports func(string) (Import, bool)) ([][]Facts, string) {
	where := func(n ast.Node, format string, args ...any) string {
		return fmt.Sprintf("%s: %s", fset.Position(n.Pos()), fmt.Sprintf(format, args...))
	}
	units := newUnits(files)
	local := &localTypes{fset: fset, path: path, units: units, imports: imports}
	raws := make([][]Facts, len(files))
	out := make([][]Facts, len(files))
	decls := make([][]declared, len(files))
	for i, u := range units {
		raws[i] = rawTypeFacts(u, info)
		out[i] = keepAllOf(u.fns, append([]Facts(nil), raws[i]...))
		walkDeclarations(u.file, func(d declared) bool { decls[i] = append(decls[i], d); return true })
	}
	if why := syntaxKeeping(keepEntries(units, raws, out), decls, local, where); why != "" {
		return nil, why
	}
	return out, ""
}
