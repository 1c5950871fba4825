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
	local := &localTypes{fset: fset, path: path, files: files, imports: imports}
	fnss := make([][]*function, len(files))
	raws := make([][]Facts, len(files))
	out := make([][]Facts, len(files))
	for i, f := range files {
		fnss[i] = functions(f, Counters{})
		raws[i] = rawTypeFactsOf(f, fnss[i], info)
		out[i] = keepAllOf(fnss[i], append([]Facts(nil), raws[i]...))
	}
	if why := syntaxKeeping(files, fnss, raws, out, local, where); why != "" {
		return nil, why
	}
	return out, ""
}
