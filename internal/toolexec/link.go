package toolexec

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// linkArgs returns the arguments for the real linker. The import
// configuration go computed lists the packages as written; when it lacks
// the runtime, autotrace adds the runtime and every package it imports
// that is missing, since the linker's -importcfg must list every package
// of the program. It does so whenever the main module can build the
// runtime, without looking for instrumented code: entries for packages the
// program does not import are never read.
func linkArgs(tool string, args []string) ([]string, error) {
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
		case "buildmode":
			// A position-independent or shared program needs its
			// packages compiled for it: the runtime's too.
			if hasVal && val != "exe" {
				flags = append(flags, "-buildmode="+val)
			}
		}
	}
	// The go command clears GOROOT for the linker under -trimpath.
	if v, ok := os.LookupEnv("GOROOT"); ok && v == "" {
		flags = append(flags, "-trimpath")
	}
	s := loadSession()
	if cfgIdx < 0 || out == "" || s == nil || s.Runtime.Err != "" {
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
	ex, err := runtimeExports(goBinary(tool), s, flags)
	if err != nil {
		return args, nil // a compile has said why, if it matters
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
