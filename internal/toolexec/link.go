package toolexec

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// linkArgs returns the arguments for the real linker. When the program
// has instrumented code but its import configuration, which go computed
// from the packages as written, lacks the runtime, autotrace adds the
// runtime and every package it imports that is missing: the linker's
// -importcfg must list every package of the program.
func linkArgs(opts Options, tool string, args []string) ([]string, error) {
	cfgIdx, out := -1, ""
	var flags []string
	for i := 0; i < len(args); i++ {
		name, val, hasVal := strings.Cut(strings.TrimPrefix(args[i], "-"), "=")
		switch name {
		case "importcfg":
			cfgIdx = i
			if !hasVal && i+1 < len(args) {
				i++
			}
		case "o":
			if hasVal {
				out = val
			} else if i+1 < len(args) {
				i++
				out = args[i]
			}
		case "race", "msan", "asan":
			flags = append(flags, "-"+name)
		}
	}
	// The go command clears GOROOT for the linker under -trimpath.
	if v, ok := os.LookupEnv("GOROOT"); ok && v == "" {
		flags = append(flags, "-trimpath")
	}
	if cfgIdx < 0 || out == "" {
		return args, nil
	}
	cfgPath := strings.TrimPrefix(strings.TrimPrefix(args[cfgIdx], "-importcfg"), "=")
	if cfgPath == "" {
		cfgPath = args[cfgIdx+1]
	}
	cfg, data, err := readImportcfg(cfgPath)
	if err != nil {
		return args, nil
	}
	if _, ok := cfg.packages[rewrite.RuntimePath]; ok {
		return args, nil
	}
	s := loadSession()
	if !callsRuntime(opts, cfg, args[len(args)-1], s) {
		return args, nil
	}
	ex, err := runtimeExports(goBinary(tool), s, workRoot(out), flags)
	if err != nil {
		return args, nil // the compile has already said why
	}
	var b bytes.Buffer
	b.Write(data)
	b.WriteString("\n")
	for _, p := range ex.Packages {
		if _, ok := cfg.packages[p.ImportPath]; !ok && p.Export != "" {
			b.WriteString("packagefile " + p.ImportPath + "=" + p.Export + "\n")
		}
	}
	newCfg := filepath.Join(filepath.Dir(cfgPath), "importcfg.autotrace.link")
	if err := os.WriteFile(newCfg, b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	newArgs := append([]string(nil), args...)
	if newArgs[cfgIdx] == "-importcfg" {
		newArgs[cfgIdx+1] = newCfg
	} else {
		newArgs[cfgIdx] = "-importcfg=" + newCfg
	}
	return newArgs, nil
}

// callsRuntime reports whether a package autotrace may have instrumented
// (the main package, the main modules' packages, those -pkgs names) refers
// to the runtime: an instrumented archive names it. Dependencies are not
// read, so linking a large program stays cheap.
func callsRuntime(opts Options, cfg *importcfg, main string, s *session) bool {
	files := []string{main}
	for path, file := range cfg.packages {
		if s.inMainModule(path) || matchesAny(opts.Pkgs, path, s) {
			files = append(files, file)
		}
	}
	needle := []byte(rewrite.RuntimePath)
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil && bytes.Contains(data, needle) {
			return true
		}
	}
	return false
}

// matchesAny matches import path patterns; a relative pattern names
// directories of the main module, which inMainModule covers.
func matchesAny(patterns []string, path string, s *session) bool {
	for _, p := range patterns {
		if !strings.HasPrefix(p, ".") && matchPattern(p, path, "", s) {
			return true
		}
	}
	return false
}
