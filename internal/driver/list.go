package driver

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// listed is one package as go list -find reports it.
type listed struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string // absolute, in go list's order
	Cgo        bool     // has cgo (or SWIG) files: its compiled files differ
	Err        bool     // go list reports a problem with it
}

// listTemplate prints one line per package: Go-quoted strings, an error
// flag and the package's files. The GOROOT of the go command comes along,
// so that standard-library imports can be told from others.
const listTemplate = `{{printf "%q %q %q %q" .ImportPath .Name .Dir context.GOROOT}}` +
	` {{if or .Error .Incomplete}}error{{else}}ok{{end}}` +
	` {{len .CgoFiles}} {{len .SwigFiles}} {{len .SwigCXXFiles}}` +
	`{{range .GoFiles}} {{printf "%q" .}}{{end}}`

// goList lists the packages named by patterns without resolving their
// imports (go list -find: no dependency is loaded, nothing is compiled),
// with the go command's GOROOT. It returns ok == false when the go command
// fails or its output is not understood; a package it reports a problem
// with has Err set.
func goList(dir string, env, buildFlags, patterns []string) (pkgs []*listed, goroot string, ok bool) {
	args := append([]string{"list", "-e", "-find", "-f", listTemplate}, buildFlags...)
	cmd := exec.Command("go", append(append(args, "--"), patterns...)...)
	cmd.Dir = dir
	cmd.Env = append(env, "PWD="+dir)
	out, err := cmd.Output()
	if err != nil {
		return nil, "", false
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		p, root, err := parseListed(line)
		if err != nil {
			return nil, "", false
		}
		goroot = root
		pkgs = append(pkgs, p)
	}
	return pkgs, goroot, len(pkgs) > 0
}

// parseListed parses one line of listTemplate's output.
func parseListed(line string) (*listed, string, error) {
	var strs []string
	rest := line
	for i := 0; i < 4; i++ {
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return nil, "", fmt.Errorf("go list: bad line %q", line)
		}
		s, _ := strconv.Unquote(q)
		strs = append(strs, s)
		rest = strings.TrimPrefix(rest[len(q):], " ")
	}
	fields := strings.SplitN(rest, " ", 5)
	if len(fields) < 4 {
		return nil, "", fmt.Errorf("go list: bad line %q", line)
	}
	p := &listed{ImportPath: strs[0], Name: strs[1], Dir: strs[2], Err: fields[0] != "ok"}
	p.Cgo = fields[1] != "0" || fields[2] != "0" || fields[3] != "0"
	if len(fields) == 5 {
		rest = fields[4]
		for rest != "" {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, "", fmt.Errorf("go list: bad line %q", line)
			}
			s, _ := strconv.Unquote(q)
			p.GoFiles = append(p.GoFiles, filepath.Join(p.Dir, s))
			rest = strings.TrimPrefix(rest[len(q):], " ")
		}
	}
	return p, strs[3], nil
}
