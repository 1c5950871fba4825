package autotrace

import (
	"context"
	"os"
	"time"
)

// End, EndErr and EndMain are always deferred directly (defer s.End()), so
// they can call recover themselves: a panic is recorded on the span, the
// span ends, and the very same value is panicked again, so callers that
// recover see it unchanged and an unrecovered crash still shows the
// original frames (Go prints "[recovered, repanicked]"). runtime.Goexit
// makes recover return nil and ends the span normally. Only the innermost
// span recovers: it passes the panic to the enclosing spans of its
// goroutine, which record it while it unwinds (see passPanic).

// End ends the span. It must be deferred directly by the function that
// started the span. On the zero Span, or a stale one, it does nothing, not
// even recover.
func (s Span) End() {
	r := s.r.rec() // s.r.own(), inline: one call less
	if r == nil || r.owner.Load() != getg() {
		return
	}
	x := extOf(s.r.idx())
	if x != nil && s.endPanicking(r, x) {
		return
	}
	if v := recover(); v != nil {
		s.endPanic(r, v)
		panic(v)
	}
	s.finish(r, x)
}

// EndErr ends the span like End and marks it failed when *err is a
// non-nil error at return. It must be deferred directly, with a pointer to
// the function's error result.
func (s Span) EndErr(err *error) {
	r := s.r.rec() // s.r.own(), inline
	if r == nil || r.owner.Load() != getg() {
		return
	}
	x := extOf(s.r.idx())
	if x != nil && s.endPanicking(r, x) {
		return
	}
	if v := recover(); v != nil {
		s.endPanic(r, v)
		panic(v)
	}
	if err != nil && *err != nil && r.flags.Load()&flagSampled != 0 {
		s.setError(r, *err)
		x = extOf(s.r.idx())
	}
	s.finish(r, x)
}

// endPanic records the panic v on s, passes it to the spans that enclose
// s on its goroutine and ends s. When no instrumented span of the
// goroutine is left to see the panic, it may be about to end the process:
// the spans ended so far, s and its enclosing spans among them, are
// written before it goes on.
func (s Span) endPanic(r *spanRec, v any) {
	s.recordPanic(r, v)
	s.passPanic(r)
	outermost := r.outermost()
	s.finish(r, extOf(s.r.idx()))
	if outermost {
		flushNowIfActive()
	}
}

// outermost reports whether r, ended by a panic, is the outermost span of
// its goroutine: no enclosing span ends next and writes (see endPanic).
func (r *spanRec) outermost() bool {
	if r.slot < 0 {
		return true
	}
	p := ref(r.prev.Load()).rec()
	return p == nil || p.flags.Load()&flagLink != 0
}

func flushNowIfActive() {
	if rc := active.Load(); rc != nil {
		rc.flushNow()
	}
}

// mainShutdownTimeout bounds how long the end of main waits for the trace
// to be written.
const mainShutdownTimeout = 5 * time.Second

// EndMain ends the span of main.main like End and then shuts the runtime
// down (see Shutdown), waiting at most five seconds. It flushes even when
// the span is zero, and on a panic before panicking again, so the spans
// that led to a crash are written.
func (s Span) EndMain() {
	if r := s.r.own(); r != nil {
		x := extOf(s.r.idx())
		if x != nil && s.endPanicking(r, x) {
			shutdownMain()
			return
		}
		if v := recover(); v != nil {
			s.recordPanic(r, v)
			s.finish(r, extOf(s.r.idx()))
			shutdownMain()
			panic(v)
		}
		s.finish(r, x)
	}
	shutdownMain()
}

// EndMain shuts the runtime down (see Shutdown), waiting at most five
// seconds: gen defers it at the top of a main.main that has no span of
// its own, so that a program writes every span it ended when main
// returns, or panics on its goroutine, however short the run.
func EndMain() {
	shutdownMain()
}

// ShutdownThen returns a function that shuts the runtime down as the end
// of main does (see EndMain) and then calls exit: os.Exit, which runs no
// deferred calls, or log.Fatal, Fatalf or Fatalln, which call it. Gen
// rewrites os.Exit(code) as autotrace.ShutdownThen(os.Exit)(code), so
// the call's arguments are evaluated, and their spans ended, before the
// runtime shuts down.
func ShutdownThen[F func(int) | func(...any) | func(string, ...any)](exit F) F {
	var f any
	switch exit := any(exit).(type) {
	case func(int):
		f = func(code int) { shutdownMain(); exit(code) }
	case func(...any):
		f = func(v ...any) { shutdownMain(); exit(v...) }
	case func(string, ...any):
		f = func(format string, v ...any) { shutdownMain(); exit(format, v...) }
	}
	return f.(F)
}

// GenEndMain is EndMain as gen writes it at the top of a main.main
// without a span, and GenShutdownThen is ShutdownThen as gen wraps an
// os.Exit or log.Fatal in: the same calls under names of their own, so
// that strip removes what gen wrote and never an EndMain or ShutdownThen
// written by hand.
func GenEndMain() { shutdownMain() }

// GenShutdownThen is ShutdownThen as gen writes it (see GenEndMain).
func GenShutdownThen[F func(int) | func(...any) | func(string, ...any)](exit F) F {
	return ShutdownThen(exit)
}

// Exit shuts the runtime down as the end of main does (see EndMain) and
// then exits the program with code: for a program that leaves through
// os.Exit, which runs no deferred calls. Under go test
// -toolexec=autotrace, the test binary's generated main calls it.
func Exit(code int) {
	shutdownMain()
	os.Exit(code)
}

func shutdownMain() {
	ctx, cancel := context.WithTimeout(context.Background(), mainShutdownTimeout)
	defer cancel()
	_ = Shutdown(ctx) // errors were already reported on stderr
}

// finish ends the span (extras x, as its caller last read them, or nil):
// it restores the goroutine's previous span, hands a sampled span to the
// exporter and frees its record, after which its handle is stale. The end
// time is read first, so the span measures as little of autotrace as
// possible; a folded call that was not timed reads it only if it is
// written in full.
func (s Span) finish(r *spanRec, x *spanExtra) {
	var t int64 // 0 for a folded call not timed (fold.go), unless written in full after all
	if r.start != 0 {
		if useTSC { // ticks(), by hand: one call less on the hot path
			t = rdtsc()
		} else {
			t = monoNow()
		}
	}
	folded := foldEnd(r, x, t) // fold.go: before pop, while the goroutine holds its slot
	if t == 0 && !folded {
		t = ticks()
	}
	gls.pop(r, s.r)
	if x != nil {
		clearExt(s.r.idx())
	}
	if r.flags.Load()&flagSampled != 0 && !folded {
		if x != nil && x.exec != nil {
			execEnd(x.exec)
		}
		if rc := active.Load(); rc != nil {
			rc.push(r, s.r, x, t) // and frees r
			return
		}
	}
	closeRec(r, s.r)
}
