package autotrace

import "context"

// A Span is a handle to one timed execution of an instrumented function:
// a small value, returned by Start and StartHere, that End ends and the
// setters add to. The span's state is not a heap object: it lives in a
// reused, pointer-free record (spanrec.go), so recording a span allocates
// nothing. The zero Span (recording off, or a trace not sampled) is valid:
// all its methods do nothing. So is a stale one: a handle used after End,
// or by another goroutine than the one that started the span, is ignored,
// never written through.
type Span struct{ r ref }

const (
	flagSampled = 1 << iota // recorded and exported
	flagRemote              // parent in another process, from traceparent
	flagLink                // stands in a goroutine for the span it adopted
	flagRoot                // first span of its trace in this process
	flagState               // has a tracestate, in its extras
)

const (
	statusOK uint8 = iota
	statusError
	statusPanic
)

// spanExtra holds what most spans never have, allocated on first use and
// found by the span's record number (extOf).
type spanExtra struct {
	err      string
	attrs    []Attr
	panicVal string
	panicLoc string
	panicFn  string
	state    string    // W3C tracestate of the trace, passed on unchanged
	site     *callSite // the site, when the registry had no number for it
	exec     *execSpan // task and region, when tracing execution (exectrace.go)

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

// parent is what a context (or the goroutine's innermost span) tells the
// spans started under it: the trace, the parent's id, whether the trace
// is sampled, its tracestate, and the parent span's handle when it is
// local.
type parent struct {
	trace traceID
	id    uint64
	state string
	span  Span
	flags uint32
}

// spanCtx is the child context Start returns for a sampled span: the
// parent context, the span's trace and id, and its handle. It is
// immutable and never reused, so a context kept after its span ended (by
// a goroutine, a callback) still names the right parent. 48 bytes, a
// malloc size class (TestSpanContextSize checks).
type spanCtx struct {
	context.Context // the parent context: Deadline, Done and Err pass through
	trace           traceID
	id              uint64
	span            Span
}

// parentCtx is the context for what spanCtx cannot say: a remote parent
// (WithTraceContext), an unsampled trace, a tracestate.
type parentCtx struct {
	context.Context
	p parent
}

func (c *spanCtx) Value(key any) any {
	if key == (ctxKey{}) {
		return c
	}
	if v, ok := bridgeValue(c.parent(), key); ok {
		return v
	}
	return c.Context.Value(key)
}

func (c *parentCtx) Value(key any) any {
	if key == (ctxKey{}) {
		return c
	}
	if v, ok := bridgeValue(c.p, key); ok {
		return v
	}
	return c.Context.Value(key)
}

func (c *spanCtx) parent() parent {
	return parent{trace: c.trace, id: c.id, span: c.span, flags: flagSampled}
}

// String names the context, as the context package prints contexts.
func (c *spanCtx) String() string { return "autotrace.Span(" + c.span.String() + ")" }

func (c *parentCtx) String() string { return "autotrace.Span(" + c.p.span.String() + ")" }

// childContext returns the context Start returns for the span r (handle
// s) started under ctx; state is the trace's tracestate.
func childContext(ctx context.Context, r *spanRec, s Span, state string) context.Context {
	flags := r.flags.Load() & (flagSampled | flagRemote)
	if flags == flagSampled && state == "" {
		return &spanCtx{Context: ctx, trace: r.trace(), id: r.id.Load(), span: s}
	}
	return &parentCtx{Context: ctx, p: parent{trace: r.trace(), id: r.id.Load(), state: state, span: s, flags: flags}}
}

// spanOf returns the parent that ctx carries, local or remote.
func spanOf(ctx context.Context) (parent, bool) {
	switch c := ctx.(type) { // the common case: ctx came from Start
	case *spanCtx:
		return c.parent(), true
	case *parentCtx:
		return c.p, true
	}
	switch c := ctx.Value(ctxKey{}).(type) {
	case *spanCtx:
		return c.parent(), true
	case *parentCtx:
		return c.p, true
	}
	return parent{}, false
}

// String names the span: its function, or "ended" for a stale handle.
func (s Span) String() string {
	r := s.r.rec()
	if r == nil {
		if s.r == 0 {
			return "nil"
		}
		return "ended"
	}
	return siteOfRec(r, extOf(s.r.idx())).name
}

// FromContext returns the recorded span carried by ctx, or the zero Span
// when ctx has none (recording off, not sampled, or only a remote parent),
// so that hand-written code can add attributes to the span of its caller
// on the caller's goroutine.
func FromContext(ctx context.Context) Span {
	if ctx == nil {
		return Span{}
	}
	p, ok := spanOf(ctx)
	if !ok || p.flags&(flagSampled|flagRemote) != flagSampled {
		return Span{}
	}
	return p.span
}

// recording returns the span's record when setters should record: a
// live, sampled, local span of the calling goroutine.
func (s Span) recording() *spanRec {
	r := s.r.own()
	if r == nil || r.flags.Load()&(flagSampled|flagRemote|flagLink) != flagSampled {
		return nil
	}
	return r
}

func (s Span) ext() *spanExtra { return extFor(s.r.idx()) }

// SetError marks the span failed with err's message; a nil err does nothing.
func (s Span) SetError(err error) {
	if err == nil {
		return
	}
	if r := s.recording(); r != nil {
		s.setError(r, err)
	}
}

func (s Span) setError(r *spanRec, err error) {
	if r.status == statusOK {
		r.status = statusError
	}
	s.ext().err = bounded(errorText(err))
}

// SetAttr adds a string attribute to the span, as SetString does. A span
// keeps at most 32 attributes; values are cut at 512 bytes. The typed
// setters (attr.go) keep numbers numbers.
func (s Span) SetAttr(key, value string) { s.SetString(key, value) }

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
