package driver

import (
	"go/parser"
	"go/token"
	"os/exec"
	"strconv"

	"github.com/autotrace/autotrace/internal/toolexec"
	"github.com/autotrace/autotrace/rewrite"
)

// RequireRuntime returns an error saying what to run when the results
// would import the runtime into a module that cannot build it (the main
// module does not require autotrace): written, they would not build. It
// asks the go command only when some file gains the import and the go
// list that found the files did not find the runtime too.
func RequireRuntime(opts Options, results []*Result) error {
	gains, found := false, true
	for _, r := range results {
		found = found && r.File.runtimeFound
		if !gains && r.Changed() && importsRuntime(r.New) && !importsRuntime(r.File.Src) {
			gains = true
		}
	}
	if !gains || found {
		return nil
	}
	args := []string{"list", "-find"}
	if opts.Tags != "" {
		args = append(args, "-tags", opts.Tags)
	}
	cmd := exec.Command("go", append(args, rewrite.RuntimePath)...)
	cmd.Dir = opts.Dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return toolexec.RuntimeMissing(string(out))
	}
	return nil
}

// importsRuntime reports whether src imports the runtime package.
func importsRuntime(src []byte) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return false
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == rewrite.RuntimePath {
			return true
		}
	}
	return false
}
