package rewrite

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
)

// source is one parsed version of a file.
type source struct {
	name string
	src  []byte
	fset *token.FileSet
	tf   *token.File
	file *ast.File
	imps []fileImport // file's import table
}

func parse(name string, src []byte) (*source, error) {
	return parseMode(name, src, parser.ParseComments)
}

// parseMode is parse with the parser's mode (object resolution is always
// skipped): without parser.ParseComments the file has no comments.
func parseMode(name string, src []byte, mode parser.Mode) (*source, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, mode|parser.SkipObjectResolution)
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok {
			var errs ErrorList
			for _, e := range list {
				errs = append(errs, &Error{e.Pos, e.Msg})
			}
			return nil, errs
		}
		return nil, err
	}
	return &source{name: name, src: src, fset: fset, tf: fset.File(f.Pos()), file: f, imps: importsOf(f)}, nil
}

func (s *source) off(p token.Pos) int  { return s.tf.Offset(p) }
func (s *source) line(p token.Pos) int { return s.tf.Line(p) }

func (s *source) text(n ast.Node) string { return string(s.src[s.off(n.Pos()):s.off(n.End())]) }

func (s *source) position(p token.Pos) token.Position { return s.fset.Position(p) }

// lineStart is the offset of the first byte of the line holding off.
func (s *source) lineStart(off int) int {
	return bytes.LastIndexByte(s.src[:off], '\n') + 1
}

// lineEnd is the offset of the newline ending the line holding off, or
// len(src) on the last line.
func (s *source) lineEnd(off int) int {
	if i := bytes.IndexByte(s.src[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(s.src)
}

// indent is the leading white space of the line holding off.
func (s *source) indent(off int) string {
	start := s.lineStart(off)
	end := start
	for end < len(s.src) && (s.src[end] == '\t' || s.src[end] == ' ') {
		end++
	}
	return string(s.src[start:end])
}

// commentAt returns the comment starting at offset off, if any.
func (s *source) commentAt(off int) *ast.Comment {
	for _, g := range s.file.Comments {
		for _, c := range g.List {
			if s.off(c.Pos()) == off {
				return c
			}
		}
	}
	return nil
}

// hasComment reports whether any comment lies within [from, to).
func (s *source) hasComment(from, to token.Pos) bool {
	for _, g := range s.file.Comments {
		if g.End() <= from || g.Pos() >= to {
			continue
		}
		for _, c := range g.List {
			if c.Pos() >= from && c.End() <= to {
				return true
			}
		}
	}
	return false
}
