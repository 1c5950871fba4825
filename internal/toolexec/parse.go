package toolexec

import (
	"path/filepath"
	"strings"
)

// Options are autotrace's own flags in toolexec mode.
type Options struct {
	All  bool     // -all: instrument every function of the selected packages
	Pkgs []string // -pkgs: comma-separated package patterns; none means the main module
	// -rules: comma-separated names of shipped rule sets to switch on, as
	// //autotrace:rules in a file of the main module does.
	Rules []string
}

// Parse recognises a toolexec command line, [-all] [-pkgs P] /abs/tool
// args... (or [-all] [-pkgs P] cc -### args...), and splits it into
// autotrace's options, the tool and its arguments. ok is false when args
// are not one.
func Parse(args []string) (opts Options, tool string, toolArgs []string, ok bool) {
	for len(args) > 0 {
		a := args[0]
		if name, v, rest, ok := valueFlag(args); ok {
			if name == "pkgs" {
				opts.Pkgs = append(opts.Pkgs, splitPatterns(v)...)
			} else {
				opts.Rules = append(opts.Rules, splitPatterns(v)...)
			}
			args = rest
			continue
		}
		switch {
		case a == "-all" || a == "--all":
			opts.All = true
			args = args[1:]
		default:
			// The go command names its tools by absolute path, except
			// the C compiler when it asks for its identity with
			// "CC -### -x LANG -c -" (CC as the user set it, say gcc).
			if !filepath.IsAbs(a) && (len(args) < 2 || args[1] != "-###") {
				return Options{}, "", nil, false
			}
			return opts, a, args[1:], true
		}
	}
	return Options{}, "", nil, false
}

func splitPatterns(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, p)
	}
	return out
}

// toolName is the name of a tool without directory or .exe: compile, link.
func toolName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".exe")
}

// goBinary is the go command of the toolchain that tool belongs to
// (GOROOT/pkg/tool/GOOS_GOARCH/tool), so nested go commands are the same
// go as the build.
func goBinary(tool string) string {
	root := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(tool))))
	exe := ""
	if strings.HasSuffix(tool, ".exe") {
		exe = ".exe"
	}
	p := filepath.Join(root, "bin", "go"+exe)
	if fileExists(p) {
		return p
	}
	return "go"
}

// valueFlag recognises autotrace's flags with a value, -pkgs and -rules,
// as -NAME VALUE or -NAME=VALUE (or with --) at the head of args: for
// Parse and GoCommand alike.
func valueFlag(args []string) (name, value string, rest []string, ok bool) {
	for _, name := range []string{"pkgs", "rules"} {
		switch a := args[0]; {
		case (a == "-"+name || a == "--"+name) && len(args) > 1:
			return name, args[1], args[2:], true
		case strings.HasPrefix(a, "-"+name+"=") || strings.HasPrefix(a, "--"+name+"="):
			_, v, _ := strings.Cut(a, "=")
			return name, v, args[1:], true
		}
	}
	return "", "", nil, false
}
