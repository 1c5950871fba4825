package autotrace

import (
	"context"
	"sync/atomic"
	"time"
)

// A Span is one timed execution of an instrumented function.
//
// A *Span is also the context.Context that Start returns: it embeds the
// parent context and answers Value for its own key, so one allocation makes
// both the span and the child context. A nil *Span (recording off, or a
// trace not sampled) is valid: all its methods do nothing.
//
// A Span belongs to the goroutine that started it; its setters and End must
// not be called concurrently with each other, and nothing may be called on
// it after End.
type Span struct {
	ctx      context.Context // parent context; for a link (flagLink), the span adopted
	prev     *Span           // the goroutine's innermost open span before this one
	site     *callSite       // name, function, file and line
	trace    traceID
	id       uint64
	parentID uint64
	start    int64 // ticks; the end time travels with the span in the buffer
	extra    *spanExtra
	exec     *execSpan // task and region, when tracing execution (exectrace.go)
	state    string    // W3C tracestate of the trace, passed on unchanged
	slot     int16     // goroutine-local table slot, -1 if none
	flags    uint8     // flagSampled, flagRemote: fixed at start
	status   uint8
	ended    atomic.Bool // set once, by End; adopters read it (see Adopt)
}

// The span is laid out to be exactly 112 bytes, a malloc size class: the
// allocation is most of the cost of a recorded span, and a smaller class
// is a faster one (TestSpanSize checks).

const (
	flagSampled = 1 << iota // recorded and exported
	flagRemote              // parent in another process, from traceparent
	flagLink                // stands in a goroutine for the span it adopted
	flagRoot                // first span of its trace in this process
)

const (
	statusOK uint8 = iota
	statusError
	statusPanic
)

// spanExtra holds what most spans never have, allocated on first use.
type spanExtra struct {
	err      string
	attrs    []Attr
	panicVal string
	panicLoc string
	panicFn  string

	// panicBelow: a span this one encloses on the goroutine recorded a
	// panic (the panic fields above) that may still be unwinding (see
	// passPanic).
	panicBelow bool
}

// Bounds on what one span can carry, so memory per span is capped.
const (
	maxAttrs    = 32
	maxValueLen = 512
)

// ctxKey is the context key under which a context answers its span.
type ctxKey struct{}

// Deadline returns the parent context's deadline.
func (s *Span) Deadline() (time.Time, bool) { return s.ctx.Deadline() }

// Done returns the parent context's Done channel, so cancellation passes
// through the span context with no goroutine and no allocation.
func (s *Span) Done() <-chan struct{} { return s.ctx.Done() }

// Err returns the parent context's error.
func (s *Span) Err() error { return s.ctx.Err() }

// Value returns the span for the package's private key and otherwise
// defers to the parent context.
func (s *Span) Value(key any) any {
	if key == (ctxKey{}) {
		return s
	}
	if v, ok := bridgeValue(s, key); ok {
		return v
	}
	return s.ctx.Value(key)
}

// String names the span, as the context package prints contexts.
func (s *Span) String() string {
	if s == nil {
		return "autotrace.Span(nil)"
	}
	return "autotrace.Span(" + s.site.name + ")"
}

// spanOf returns the span carried by ctx, local or remote, or nil.
func spanOf(ctx context.Context) *Span {
	if s, ok := ctx.(*Span); ok { // the common case: ctx came from Start
		return s
	}
	s, _ := ctx.Value(ctxKey{}).(*Span)
	return s
}

// FromContext returns the recorded span carried by ctx, or nil when ctx
// has none (recording off, not sampled, or only a remote parent), so that
// hand-written code can add attributes to the span of its caller.
func FromContext(ctx context.Context) *Span {
	if ctx == nil {
		return nil
	}
	s := spanOf(ctx)
	if s == nil || s.flags&(flagSampled|flagRemote) != flagSampled {
		return nil
	}
	return s
}

// recording reports whether setters should record: a sampled, local span
// that has not ended.
func (s *Span) recording() bool {
	return s != nil && s.flags&(flagSampled|flagRemote) == flagSampled && !s.ended.Load()
}

func (s *Span) ext() *spanExtra {
	if s.extra == nil {
		s.extra = new(spanExtra)
	}
	return s.extra
}

// SetError marks the span failed with err's message; a nil err does nothing.
func (s *Span) SetError(err error) {
	if err == nil || !s.recording() {
		return
	}
	s.setError(err)
}

func (s *Span) setError(err error) {
	if s.status == statusOK {
		s.status = statusError
	}
	s.ext().err = bounded(errorText(err))
}

// SetAttr adds a string attribute to the span, as SetString does. A span
// keeps at most 32 attributes; values are cut at 512 bytes. The typed
// setters (attr.go) keep numbers numbers.
func (s *Span) SetAttr(key, value string) { s.SetString(key, value) }

// bounded cuts s to maxValueLen bytes, on a UTF-8 boundary.
func bounded(s string) string {
	if len(s) <= maxValueLen {
		return s
	}
	i := maxValueLen
	for i > 0 && s[i]&0xc0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
