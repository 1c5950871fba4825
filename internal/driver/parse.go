package driver

import (
	"go/ast"
	"go/parser"
	"go/token"
)

func parseFile(path string, src []byte) (*ast.File, error) {
	return parser.ParseFile(token.NewFileSet(), path, src, parser.ParseComments|parser.SkipObjectResolution)
}
