package main

import (
	"fmt"
	"runtime"

	"github.com/autotrace/autotrace/internal/toolexec"
)

func versionString() string {
	return fmt.Sprintf("autotrace %s %s/%s %s", toolexec.Version(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}
