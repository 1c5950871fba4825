package autotrace

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

// endPrefix prefixes the names of the Span methods whose frames (an inner
// span's End re-panicking) are skipped when locating a panic.
const endPrefix = "github.com/autotrace/autotrace/runtime.Span."

// recordPanic marks the span panicked with the value and the location of
// the panicking frame.
func (s Span) recordPanic(r *spanRec, v any) {
	if r.flags.Load()&flagSampled == 0 {
		return
	}
	r.status = statusPanic
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

// passPanic hands the panic s recorded to the goroutine's enclosing span,
// whose End then records it without recovering and panicking again (see
// endPanicking). Recovering and re-panicking in every instrumented frame
// costs time quadratic in the depth of the stack: yaml.v3's tests, whose
// parser panics out of deeply nested input, ran 30 times slower.
func (s Span) passPanic(r *spanRec) {
	e := extOf(s.r.idx())
	prev := ref(r.prev.Load())
	p := prev.rec()
	if r.slot < 0 || p == nil || e == nil || p.flags.Load()&flagLink != 0 {
		return
	}
	pe := extFor(prev.idx())
	pe.panicVal, pe.panicFn, pe.panicLoc, pe.panicBelow = e.panicVal, e.panicFn, e.panicLoc, true
}

// endPanicking ends s as panicked, passing the panic on, when a span it
// encloses recorded a panic that is still unwinding through s's function,
// and reports whether it did. When that panic was recovered in between, it
// forgets it and reports false.
func (s Span) endPanicking(r *spanRec, e *spanExtra) bool {
	if !e.panicBelow {
		return false
	}
	e.panicBelow = false
	if !unwinding() {
		e.panicVal, e.panicFn, e.panicLoc = "", "", ""
		return false
	}
	if r.flags.Load()&flagSampled != 0 {
		r.status = statusPanic
	}
	s.passPanic(r)
	outermost := r.outermost()
	s.finish(r, e)
	if outermost {
		flushNowIfActive()
	}
	return true
}

// unwinding reports whether the End method on the stack was called by a
// panic unwinding (runtime.gopanic within two frames: the defer wrapper,
// then gopanic) rather than by its function returning or runtime.Goexit.
//
//go:noinline
func unwinding() bool {
	var pcs [8]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	after := -1
	for {
		f, more := frames.Next()
		switch {
		case strings.HasPrefix(f.Function, endPrefix+"End"):
			after = 0
		case after >= 0:
			if f.Function == "runtime.gopanic" {
				return true
			}
			if after++; after == 2 {
				return false
			}
		}
		if !more {
			return false
		}
	}
}
