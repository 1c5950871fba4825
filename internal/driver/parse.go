package driver

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
)

func parseFile(fset *token.FileSet, path string, src []byte) (*ast.File, error) {
	return parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
}

// syntaxError is go/parser's first error in err as file:line:col:
// message, the file relative to dir: its later errors are mostly the
// first one's consequences (packageErrors says the same for typed loads).
func syntaxError(dir string, err error) error {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return err
	}
	list.Sort()
	e := *list[0]
	e.Pos.Filename = rel(dir, e.Pos.Filename)
	return &e
}
