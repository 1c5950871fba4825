package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is the module version, set from the build info when autotrace
// is built as a dependency or installed with go install.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func versionString() string {
	return fmt.Sprintf("autotrace %s %s/%s %s", version(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
