package toolexec

import (
	"go/ast"
	"go/token"
)

func inspectStmts(f *ast.File, fn func(text string, line int), fset *token.FileSet, src []byte) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.ExprStmt, *ast.ReturnStmt:
			tf := fset.File(s.Pos())
			text := string(src[tf.Offset(s.Pos()):tf.Offset(s.End())])
			fn(text, fset.Position(s.Pos()).Line)
		}
		return true
	})
}
