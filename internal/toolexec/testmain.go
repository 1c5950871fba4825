package toolexec

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// A test binary's main package is written by the go command
// (_testmain.go) and ends with os.Exit, which runs no deferred calls: the
// runtime is never shut down, so the last spans of a test run, and the
// process record with its dropped and pending counts, would be lost.
// autotrace compiles it with every os.Exit of main turned into
// autotrace.Exit, which shuts the runtime down first.

// testMainAlias names the runtime in the rewritten test main.
const testMainAlias = "__autotrace"

// isTestMain reports whether c compiles the go command's test main.
func isTestMain(c *compileCmd) bool {
	files := c.files()
	return c.pkgPath == "main" && len(files) == 1 && filepath.Base(files[0]) == "_testmain.go" &&
		strings.HasSuffix(os.Getenv("TOOLEXEC_IMPORTPATH"), ".test")
}

// testMainArgs returns the compile arguments for the test main c, with the
// rewritten file and an import configuration that has the runtime; c's own
// arguments when the module cannot build the runtime or main has no
// os.Exit to turn.
func testMainArgs(c *compileCmd, goBin string, s *session) ([]string, error) {
	if s == nil || s.Runtime.Err != "" {
		return c.args, nil
	}
	name := c.files()[0]
	src, err := os.ReadFile(name)
	if err != nil {
		return c.args, nil // let the compiler say so
	}
	out, ok := exitsThroughRuntime(name, src)
	if !ok {
		return c.args, nil
	}
	genDir := filepath.Join(filepath.Dir(c.out), "autotrace")
	if err := os.MkdirAll(genDir, 0o755); err != nil {
		return nil, err
	}
	file := filepath.Join(genDir, "_testmain.go")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		return nil, err
	}
	cfg, cfgData, err := readImportcfg(c.importcfg)
	if err != nil {
		return nil, fmt.Errorf("autotrace: %v", err)
	}
	args := append([]string(nil), c.args...)
	args[c.firstFile] = file
	return withRuntimeImport(c, args, cfg, cfgData, goBin, s, genDir)
}

// exitsThroughRuntime rewrites a test main's source: the runtime imported
// on the package clause's line (so no line moves), os.Exit in main called
// as the runtime's Exit, and a use of os at the end, in case that was the
// only one. It reports false when there is nothing to rewrite.
func exitsThroughRuntime(name string, src []byte) ([]byte, bool) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, false
	}
	var exits []int // offsets of the "os" of os.Exit
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Name.Name != "main" || fn.Body == nil {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Exit" {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "os" {
					exits = append(exits, fset.Position(x.Pos()).Offset)
				}
			}
			return true
		})
	}
	if len(exits) == 0 {
		return nil, false
	}
	var b bytes.Buffer
	pkgEnd := fset.Position(f.Name.End()).Offset
	last := 0
	b.Write(src[:pkgEnd])
	fmt.Fprintf(&b, "; import %s %q", testMainAlias, rewrite.RuntimePath)
	last = pkgEnd
	for _, off := range exits {
		b.Write(src[last:off])
		b.WriteString(testMainAlias)
		last = off + len("os")
	}
	b.Write(src[last:])
	b.WriteString("\nvar _ = os.Exit\n")
	return b.Bytes(), true
}
