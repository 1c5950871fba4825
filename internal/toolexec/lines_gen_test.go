package toolexec

import (
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// TestLineDirectivesGen instruments real files with rewrite.Gen, all
// functions, and checks that after withLineDirectives every token of the
// original is reported at its original file and line, and that the
// rewritten file scans without errors.
func TestLineDirectivesGen(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/golden/in/*.go")
	more, _ := filepath.Glob("../../testdata/example/*.go")
	files = append(files, more...)
	if len(files) == 0 {
		t.Skip("no inputs")
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		abs, _ := filepath.Abs(name)
		out, err := rewrite.Gen(rewrite.Input{Filename: abs, Src: src, All: true})
		if err != nil {
			continue // golden error cases
		}
		res := withLineDirectives(abs, src, out.Src)
		checkLines(t, abs, src, res)
	}
}

type tok struct {
	tok  token.Token
	lit  string
	file string
	line int
}

func scan(t *testing.T, name string, src []byte) []tok {
	fset := token.NewFileSet()
	f := fset.AddFile(name, -1, len(src))
	var s scanner.Scanner
	s.Init(f, src, func(pos token.Position, msg string) { t.Errorf("%s: %v: %s", name, pos, msg) }, 0)
	var toks []tok
	for {
		pos, tk, lit := s.Scan()
		if tk == token.EOF {
			return toks
		}
		p := fset.Position(pos)
		toks = append(toks, tok{tk, lit, p.Filename, p.Line})
	}
}

// checkLines compares the lines of the tokens that occur once in each
// text: their correspondence is certain.
func checkLines(t *testing.T, name string, orig, res []byte) {
	t.Helper()
	a, b := scan(t, name, orig), scan(t, "rewritten.go", res)
	type key struct {
		tok token.Token
		lit string
	}
	count := func(ts []tok) map[key][]tok {
		m := map[key][]tok{}
		for _, x := range ts {
			if x.lit != "" && x.lit != "\n" && x.lit != "_" {
				k := key{x.tok, x.lit}
				m[k] = append(m[k], x)
			}
		}
		return m
	}
	ca, cb := count(a), count(b)
	checked := 0
	for k, xs := range ca {
		ys := cb[k]
		if len(xs) != 1 || len(ys) != 1 {
			continue
		}
		checked++
		if x, y := xs[0], ys[0]; y.file != name || y.line != x.line {
			t.Errorf("%s: %s %q at %s:%d in the rewrite, want line %d", filepath.Base(name), x.tok, x.lit, y.file, y.line, x.line)
		}
	}
	if checked == 0 {
		t.Errorf("%s: no token to check", name)
	}
}
