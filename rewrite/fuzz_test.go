package rewrite_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// FuzzGen feeds arbitrary files to Gen and Strip. Gen must never panic;
// when it accepts a file its output parses, a second Gen changes nothing,
// Strip changes no file without gen's marks (hand-written runtime calls
// stay byte for byte), and, for a file that held no instrumentation,
// Strip gives Gen's output back byte for byte. Seeded with the golden inputs and, when AUTOTRACE_FUZZ_SEEDS
// names a directory, every .go file under it (scripts/corpus/fuzz.sh
// seeds it with real modules' files).
func FuzzGen(f *testing.F) {
	ins, _ := filepath.Glob("../testdata/golden/in/*.go")
	if dir := os.Getenv("AUTOTRACE_FUZZ_SEEDS"); dir != "" {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
				ins = append(ins, path)
			}
			return nil
		})
	}
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, false)
		f.Add(src, true)
	}
	imp := newImporter(f)
	f.Fuzz(func(t *testing.T, src []byte, all bool) {
		// A file with attrs= that type-checks gets its types, so that the
		// attributes are generated (type-checking every input would slow
		// the fuzzer down twentyfold).
		typed := func(src []byte) rewrite.Input {
			in := rewrite.Input{Filename: "f.go", Src: src, All: all}
			if !bytes.Contains(src, []byte("attrs=")) {
				return in
			}
			if file, info, _, err := tryTypeCheck(imp, "f.go", src); err == nil {
				in.Facts, in.Signatures = rewrite.TypeFacts(file, info), rewrite.Signatures(file, info)
			}
			return in
		}
		out, err := rewrite.Gen(typed(src))
		if err != nil {
			return
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "out.go", out.Src, parser.ParseComments); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out.Src)
		}
		again, err := rewrite.Gen(typed(out.Src))
		if err != nil {
			t.Fatalf("gen of output: %v\n%s", err, out.Src)
		}
		if !bytes.Equal(again.Src, out.Src) {
			t.Fatalf("gen not idempotent:\n%s\n----\n%s", out.Src, again.Src)
		}
		stripped, err := stripSrc("f.go", src)
		if err != nil {
			t.Fatalf("strip refused what gen accepted: %v", err)
		}
		if !bytes.Equal(stripped, src) {
			// Strip may change only what gen wrote, which always carries
			// one of its marks.
			if !genMarked(src) {
				t.Fatalf("strip changed a file gen never wrote in:\n%s\n----\n%s", src, stripped)
			}
			return // the input held instrumentation; its layout is gen's now
		}
		back, err := stripSrc("f.go", out.Src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(back, src) {
			t.Fatalf("strip(gen(x)) != x\nx:\n%s\ngen:\n%s\nstrip:\n%s", src, out.Src, back)
		}
	})
}

// genMarked reports whether src holds one of the marks of gen's code: the
// hygienic span variable or the runtime's Gen entry points.
func genMarked(src []byte) bool {
	for _, mark := range []string{"__span", ".GenEndMain(", ".GenShutdownThen("} {
		if bytes.Contains(src, []byte(mark)) {
			return true
		}
	}
	return false
}
