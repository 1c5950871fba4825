package autotrace

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

// endPrefix prefixes the names of the Span methods whose frames (an inner
// span's End re-panicking) are skipped when locating a panic.
const endPrefix = "github.com/autotrace/autotrace/runtime.(*Span)."

// recordPanic marks the span panicked with the value and the location of
// the panicking frame.
func (s *Span) recordPanic(v any) {
	if !s.recording() {
		return
	}
	s.status = statusPanic
	e := s.ext()
	e.panicVal = bounded(fmt.Sprint(v))
	e.panicFn, e.panicLoc = panicSite()
}

// panicSite returns the function and "file:line" of the frame that
// panicked: the first frame below runtime.gopanic that is neither the
// runtime's (panicIndex, sigpanic...) nor ours. The stack is read into a
// fixed array: deeper stacks than that report an unknown site.
func panicSite() (function, location string) {
	var pcs [64]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	below := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			below = true
		case below && !strings.HasPrefix(f.Function, "runtime.") && !strings.HasPrefix(f.Function, endPrefix):
			return f.Function, f.File + ":" + strconv.Itoa(f.Line)
		}
		if !more {
			return "", ""
		}
	}
}
