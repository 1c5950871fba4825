package activetime

import (
	"strings"

	"golang.org/x/exp/trace"
)

// A Location is a line of code where goroutines blocked.
type Location struct {
	Func     string
	File     string
	Line     int
	Category Category
	Blocked  int64 // nanoseconds blocked there, in all
	Count    int   // times a goroutine blocked there
}

type locKey struct {
	fn, file string
	line     int
	cat      Category
}

// blockSite picks the frame of stk to blame for blocking: the innermost
// frame of the program itself, that is outside the standard library and
// the autotrace runtime, else the innermost frame.
func blockSite(stk trace.Stack) (fn, file string, line int, ok bool) {
	first := true
	for f := range stk.Frames() {
		if first {
			fn, file, line, ok = f.Func, f.File, int(f.Line), true
			first = false
		}
		if isProgram(f.Func) {
			return f.Func, f.File, int(f.Line), true
		}
	}
	return
}

// isProgram reports whether the function named fn (a qualified name such
// as "example.com/shop.(*Cart).Add" or "main.main") belongs to the traced
// program rather than to the standard library or the autotrace runtime.
func isProgram(fn string) bool {
	pkg := fn
	slash := strings.LastIndexByte(pkg, '/')
	if i := strings.IndexByte(pkg[slash+1:], '.'); i >= 0 {
		pkg = pkg[:slash+1+i]
	}
	if pkg == "" || pkg == "github.com/autotrace/autotrace/runtime" {
		return false
	}
	if pkg == "main" {
		return true
	}
	first, _, _ := strings.Cut(pkg, "/")
	return strings.Contains(first, ".")
}
