package toolexec

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// autotraceModule is the module of the runtime.
const autotraceModule = "github.com/autotrace/autotrace"

// compileCmd is what autotrace reads from a compile command line.
type compileCmd struct {
	args      []string
	out       string // -o
	pkgPath   string // -p
	importcfg string // -importcfg, and its index in args
	cfgIdx    int
	lang      string   // -lang
	std       bool     // -std: a standard library package
	firstFile int      // args[firstFile:] are the .go files
	trimpath  string   // -trimpath
	flags     []string // build flags a nested go command must share: -race, -msan, -asan, -trimpath
}

func parseCompile(args []string) *compileCmd {
	c := &compileCmd{args: args, cfgIdx: -1, firstFile: len(args)}
	for c.firstFile > 0 {
		a := args[c.firstFile-1]
		if strings.HasPrefix(a, "-") || !strings.HasSuffix(a, ".go") {
			break
		}
		c.firstFile--
	}
	for i := 0; i < c.firstFile; i++ {
		name, val, hasVal := strings.Cut(strings.TrimPrefix(args[i], "-"), "=")
		next := func() string {
			if hasVal {
				return val
			}
			if i+1 < c.firstFile {
				i++
				return args[i]
			}
			return ""
		}
		switch name {
		case "o":
			c.out = next()
		case "p":
			c.pkgPath = next()
		case "importcfg":
			c.cfgIdx = i
			c.importcfg = next()
		case "lang":
			c.lang = next()
		case "trimpath":
			c.trimpath = next()
		case "std":
			c.std = true
		case "race", "msan", "asan":
			c.flags = append(c.flags, "-"+name)
		}
	}
	if c.out == "" || c.importcfg == "" || c.firstFile == len(args) {
		return nil
	}
	return c
}

func (c *compileCmd) files() []string { return c.args[c.firstFile:] }

// workRoot is the go command's $WORK, the go-build directory above an
// action's output, where autotrace keeps what it writes for one build.
func workRoot(out string) string {
	dir := filepath.Dir(out)
	for d := dir; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if strings.HasPrefix(filepath.Base(d), "go-build") {
			return d
		}
	}
	return filepath.Dir(dir)
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// importPath is the package's import path: TOOLEXEC_IMPORTPATH without a
// test variant's " [p.test]" suffix, or -p, which is "main" for commands.
func (c *compileCmd) importPath() string {
	if p := os.Getenv("TOOLEXEC_IMPORTPATH"); p != "" {
		p, _, _ = strings.Cut(p, " ")
		return p
	}
	return c.pkgPath
}

// compileArgs returns the arguments for the real compiler: args itself,
// or, for a package autotrace instruments, args naming rewritten files
// and an import configuration that has the runtime.
func compileArgs(opts Options, tool string, args []string) ([]string, error) {
	c := parseCompile(args)
	if c == nil {
		return args, nil
	}
	path := c.importPath()
	if path == rewrite.RuntimePath || strings.HasPrefix(path, rewrite.RuntimePath+"/") {
		return args, nil
	}
	if isTestMain(c) {
		return testMainArgs(c, goBinary(tool), loadSession())
	}
	work := workRoot(c.out)
	pkgDir := sourceDir(c.files(), work)
	if pkgDir == "" {
		return args, nil // generated files only: a test main, say
	}
	s := loadSession()
	rules := rulesFor(opts, s, path)
	if !selected(opts, s, path, pkgDir, c.std) {
		if len(rules) == 0 {
			return args, nil
		}
		// Only what the rules name: -all is for the selected packages.
		opts.All = false
	}
	// go build -trimpath rewrites the package directory too, and changes
	// every package's export data: the runtime must be built the same way.
	if strings.Contains(c.trimpath, pkgDir+"=>") {
		c.flags = append(c.flags, "-trimpath")
	}
	goBin := goBinary(tool)
	if c.std || strings.HasPrefix(path, autotraceModule+"/") {
		// Never instrument what the runtime itself is built from: the
		// standard library packages it imports, and its own module's.
		ex, err := runtimeExports(goBin, s, c.flags)
		if err == nil && ex.has(path) && len(rules) > 0 {
			return nil, fmt.Errorf("%s: autotrace cannot instrument %s.%s: the runtime is built from package %s", rules[0].Pos, path, rules[0].Func, path)
		}
		if err != nil || ex.has(path) {
			return args, nil
		}
	}
	return instrument(opts, c, goBin, s, path, work, rules)
}

// source is one file of the package being compiled.
type source struct {
	abs     string // the file the compiler is given
	name    string // the file as written: abs, or what cmd/cover or cmd/cgo rewrote
	src     []byte // the text of name the compiler sees (for cover and cgo, abs after its //line line)
	file    *ast.File
	own     bool // the user's: not a test, not written by the go command (but cover's)
	rewrite bool // autotrace may rewrite it: own, and not generated
}

func instrument(opts Options, c *compileCmd, goBin string, s *session, path, work string, rules []rewrite.Rule) ([]string, error) {
	var files []*source
	candidate := len(rules) > 0
	for _, f := range c.files() {
		abs := f
		if !filepath.IsAbs(abs) {
			if wd, err := os.Getwd(); err == nil {
				abs = filepath.Join(wd, f)
			}
		}
		data, err := os.ReadFile(abs)
		if err != nil {
			return c.args, nil // let the compiler say so
		}
		sf := &source{abs: abs, name: abs, src: data, own: !within(abs, work)}
		if !sf.own {
			if orig, body, ok := coverOutput(data, work); ok {
				sf.name, sf.src, sf.own = orig, body, true
			}
		}
		if strings.HasSuffix(sf.name, "_test.go") {
			sf.own = false
		}
		sf.rewrite = sf.own
		if sf.rewrite && (opts.All || bytes.Contains(data, []byte("autotrace"))) {
			candidate = true
		}
		files = append(files, sf)
	}
	// A main package is rewritten even with nothing to instrument: its
	// main.main gets the deferred EndMain that writes the last spans when
	// main returns (rewrite/exit.go), whatever its dependencies record.
	// Unless the build cannot link the runtime: then nothing else can be
	// instrumented either, and the program builds as it is.
	mainOnly := !candidate && c.pkgPath == "main"
	if !candidate && !mainOnly {
		return c.args, nil
	}
	fset := token.NewFileSet()
	var asts []*ast.File
	for _, sf := range files {
		f, err := parser.ParseFile(fset, sf.name, sf.src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return c.args, nil // the compiler reports syntax errors
		}
		sf.file = f
		if sf.rewrite && ast.IsGenerated(f) {
			sf.rewrite = false
		}
		asts = append(asts, f)
	}
	cfg, cfgData, err := readImportcfg(c.importcfg)
	if err != nil {
		return nil, fmt.Errorf("autotrace: %v", err)
	}
	goarch := os.Getenv("GOARCH")
	if goarch == "" {
		goarch = runtime.GOARCH
	}
	pkg, info := typeCheck(fset, path, c.lang, goarch, asts, cfg)
	// The package's own files are numbered (rewrite.Counters); tests and
	// what the go command wrote are not.
	prep := rewrite.Prepare{Fset: fset, All: opts.All, Rules: rules}
	var own []int // index in files of each Source
	for i, sf := range files {
		if sf.own {
			prep.Sources = append(prep.Sources, rewrite.Source{Filename: sf.name, Src: sf.src, File: sf.file})
			own = append(own, i)
		}
	}
	ins, err := prep.Typed(rewrite.Checked{Files: asts, Pkg: pkg, Info: info})
	if err != nil {
		return nil, fmt.Errorf("autotrace: %s: %v", path, err)
	}
	problems := prep.RuleErrors(path)
	genDir := filepath.Join(filepath.Dir(c.out), "autotrace")
	newArgs := append([]string(nil), c.args...)
	changed := false
	for k, in := range ins {
		i, sf := own[k], files[own[k]]
		if !sf.rewrite {
			continue
		}
		out, err := rewrite.Gen(in)
		var list rewrite.ErrorList
		if errors.As(err, &list) {
			problems = append(problems, list...)
			continue
		} else if err != nil {
			return nil, fmt.Errorf("autotrace: %v", err)
		}
		if bytes.Equal(out.Src, sf.src) {
			continue
		}
		if !changed {
			if err := os.MkdirAll(genDir, 0o755); err != nil {
				return nil, err
			}
			changed = true
		}
		name := filepath.Join(genDir, fmt.Sprintf("%d_%s", i, filepath.Base(sf.name)))
		if err := os.WriteFile(name, withLineDirectives(sf.name, sf.src, out.Src), 0o644); err != nil {
			return nil, err
		}
		newArgs[c.firstFile+i] = name
	}
	if len(problems) > 0 {
		var b strings.Builder
		for _, e := range problems {
			fmt.Fprintln(&b, e)
		}
		return nil, errors.New(strings.TrimSuffix(b.String(), "\n"))
	}
	if !changed {
		return c.args, nil
	}
	newArgs, err = withRuntimeImport(c, newArgs, cfg, cfgData, goBin, s, genDir)
	if err != nil && mainOnly {
		return c.args, nil
	}
	if err != nil {
		return nil, fmt.Errorf("autotrace: cannot instrument %s: %v", path, err)
	}
	return newArgs, nil
}

// cgoHeader is how cmd/cgo begins the Go file it writes for each of a
// package's files that import "C".
var cgoHeader = []byte("// Code generated by cmd/cgo; DO NOT EDIT.\n\n")

// coverOutput recognises a file the go command had a tool rewrite from a
// file of the package: go test -cover's cmd/cover writes a
// "//line /abs/file.go:1:1" line, then the file with counters added on
// its own lines; cmd/cgo writes its header, then such a line, then the
// file with each C.name replaced on its own line (under -cover, cgo's
// input is cover's output: its //line line names that file in $WORK,
// and cover's own follows). Both keep every line where it was. It
// returns the original file and the text after the last //line line,
// whose lines are the original's.
func coverOutput(data []byte, work string) (orig string, body []byte, ok bool) {
	body = bytes.TrimPrefix(data, cgoHeader)
	for range 2 {
		var first []byte
		first, body, ok = bytes.Cut(body, []byte("\n"))
		if !ok || !bytes.HasPrefix(first, []byte("//line ")) || !bytes.HasSuffix(first, []byte(".go:1:1")) {
			return "", nil, false
		}
		orig = string(bytes.TrimSuffix(bytes.TrimPrefix(first, []byte("//line ")), []byte(":1:1")))
		if !filepath.IsAbs(orig) {
			return "", nil, false
		}
		if !within(orig, work) {
			break
		}
	}
	if within(orig, work) || !fileExists(orig) {
		return "", nil, false
	}
	return orig, body, true
}

// sourceDir is the directory of the package's own files: that of the first
// file outside $WORK, or, when every file is in $WORK (cmd/cover under
// go test -coverpkg, cmd/cgo for import "C"), that of the first file such
// a tool names as its source.
// It is "" for a package of generated files only, such as a test main.
func sourceDir(files []string, work string) string {
	for _, f := range files {
		if !within(f, work) {
			return filepath.Dir(f)
		}
	}
	for _, f := range files {
		if orig, ok := coverSource(f, work); ok {
			return filepath.Dir(orig)
		}
	}
	return ""
}

// coverSource reads the start of a file in $WORK and returns the original
// file when cmd/cover or cmd/cgo wrote it.
func coverSource(name, work string) (string, bool) {
	f, err := os.Open(name)
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	orig, _, ok := coverOutput(buf[:n], work)
	return orig, ok
}
