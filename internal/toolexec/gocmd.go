package toolexec

import (
	"fmt"
	"strings"
)

// goSubcommands are the go commands that build code, and so take
// -toolexec.
var goSubcommands = []string{"build", "install", "run", "test"}

// GoCommand returns the arguments of the go command that
// `autotrace go [-all] [-pkgs P] [-rules SETS] SUBCOMMAND ARGS...` runs:
// SUBCOMMAND -toolexec='SELF [-all] [-pkgs P] [-rules SETS]' ARGS..., where self is
// autotrace's own absolute path. So a `go get -tool` install builds with
// `go tool autotrace go build ./...` and needs nothing on PATH.
func GoCommand(self string, args []string) ([]string, error) {
	toolexec := []string{quoteArg(self)}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		if name, v, rest, ok := valueFlag(args); ok {
			toolexec = append(toolexec, "-"+name, quoteArg(v))
			args = rest
			continue
		}
		switch {
		case a == "-all" || a == "--all":
			toolexec = append(toolexec, "-all")
			args = args[1:]
		default:
			return nil, fmt.Errorf("unknown flag %s (autotrace's flags, -all, -pkgs and -rules, go before the go command; its own flags after it)", a)
		}
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("no go command: want one of %s", strings.Join(goSubcommands, ", "))
	}
	sub := args[0]
	known := false
	for _, s := range goSubcommands {
		known = known || s == sub
	}
	if !known {
		return nil, fmt.Errorf("go %s does not build code: want one of %s", sub, strings.Join(goSubcommands, ", "))
	}
	for _, a := range args[1:] {
		if a == "--" {
			break // the program's arguments, for go run
		}
		if strings.HasPrefix(a, "-toolexec") || strings.HasPrefix(a, "--toolexec") {
			return nil, fmt.Errorf("%s: autotrace go sets -toolexec itself", a)
		}
	}
	out := []string{sub, "-toolexec=" + strings.Join(toolexec, " ")}
	return append(out, args[1:]...), nil
}
