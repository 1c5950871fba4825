package toolexec

import "strings"

// The runtime and everything it imports are compiled by a nested go
// command (see runtimeExports) and linked with packages the outer build
// compiled: both must compile every standard library package they share
// the same way, or the linker rejects the program ("fingerprint
// mismatch"). The compile command line alone does not say how the user's
// flags apply to other packages (-gcflags=all=-N vs -gcflags=-N), so the
// nested command is given the outer go command's own build flags, read
// from its command line; GOFLAGS reaches it through the environment.

// goBuildFlags returns the flags of a go command line (args without the
// program name) that change how packages compile, in order.
func goBuildFlags(args []string) []string {
	var out []string
	sub := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-args" || a == "--args" || a == "--" {
			break // the rest is the test binary's
		}
		if !strings.HasPrefix(a, "-") {
			if sub == "" {
				sub = a
				continue
			}
			if sub == "run" {
				break // the rest is the program's
			}
			continue // a package
		}
		name, _, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case boolBuildFlags[name]:
			out = append(out, a)
		case valueBuildFlags[name]:
			if hasVal {
				out = append(out, a)
			} else if i+1 < len(args) {
				out = append(out, "-"+name+"="+args[i+1])
				i++
			}
		case otherValueFlags[name] && !hasVal:
			i++ // skip its value
		}
	}
	return out
}

var (
	// Build flags that change what the compiler or assembler writes for a
	// standard library package, or which module the runtime comes from.
	boolBuildFlags = map[string]bool{
		"race": true, "msan": true, "asan": true, "cover": true, "linkshared": true, "trimpath": true,
	}
	valueBuildFlags = map[string]bool{
		"gcflags": true, "asmflags": true, "tags": true, "buildmode": true, "pgo": true,
		"covermode": true, "coverpkg": true, "mod": true, "modfile": true, "overlay": true,
	}
	// The go command's other flags that take a value, so that a value
	// given as the next argument is not taken for a package.
	otherValueFlags = map[string]bool{
		"C": true, "o": true, "p": true, "exec": true, "toolexec": true, "ldflags": true,
		"gccgoflags": true, "pkgdir": true, "installsuffix": true, "compiler": true,
		"run": true, "skip": true, "bench": true, "benchtime": true, "count": true, "cpu": true,
		"timeout": true, "parallel": true, "list": true, "shuffle": true, "vet": true, "fuzz": true,
		"fuzztime": true, "fuzzminimizetime": true, "outputdir": true, "coverprofile": true,
		"cpuprofile": true, "memprofile": true, "memprofilerate": true, "blockprofile": true,
		"blockprofilerate": true, "mutexprofile": true, "mutexprofilefraction": true, "trace": true,
		"debug-actiongraph": true, "debug-runtime-trace": true, "debug-trace": true, "f": true,
	}
)
