package autotrace

import (
	"context"
	"net/http"
)

// Each Start function is a tiny inlinable check of the recording mode in
// front of an out-of-line slow path, so that with recording off an
// instrumented call costs one load and one compare.

// Start starts a span named name as a child of the span in ctx, or of the
// remote parent in ctx (see ExtractHeader), or else as a root (part of the
// TRACEPARENT trace when that is set). It returns the child context, which
// is the span itself, and the span; with recording off it returns ctx
// unchanged and a nil span. In a trace that is not sampled, spans are nil
// too, except the first one in this process, which carries the decision to
// its descendants (one allocation) and is never recorded.
//
// function is the import-path-qualified function name and location the
// module-relative "file:line" of the function; both are exported as
// attributes.
func Start(ctx context.Context, name, function, location string) (child context.Context, s *Span) {
	child = ctx
	if maybeOn.Load() {
		child, s = start(ctx, name, function, location)
	}
	return
}

func start(ctx context.Context, name, function, location string) (context.Context, *Span) {
	r := current()
	if r == nil {
		return ctx, nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	var s *Span
	if p := spanOf(ctx); p == nil {
		s = r.root(ctx, name, function, location, nil)
	} else if p.flags&(flagSampled|flagRemote) == 0 {
		return ctx, nil // inside an unsampled trace: children follow their root
	} else {
		s = child(ctx, p, name, function, location)
	}
	begin(s, getg(), -1)
	return s, s
}

// StartRequest starts a span for an HTTP handler: a child of the span in
// r.Context(), or when that has none, of the W3C traceparent header of the
// request, or else a root. It returns r with the child context; with
// recording off, r itself, unchanged, and a nil span. Unsampled traces are
// handled as by Start.
func StartRequest(r *http.Request, name, function, location string) (child *http.Request, s *Span) {
	child = r
	if maybeOn.Load() {
		child, s = startRequest(r, name, function, location)
	}
	return
}

func startRequest(req *http.Request, name, function, location string) (*http.Request, *Span) {
	r := current()
	if r == nil {
		return req, nil
	}
	ctx := req.Context()
	var s *Span
	if p := spanOf(ctx); p != nil {
		if p.flags&(flagSampled|flagRemote) == 0 {
			return req, nil
		}
		s = child(ctx, p, name, function, location)
	} else if rem, ok := headerParent(req.Header); ok {
		s = r.root(ctx, name, function, location, &rem)
	} else {
		s = r.root(ctx, name, function, location, nil)
	}
	begin(s, getg(), -1)
	return req.WithContext(s), s
}

// StartHere starts a span whose parent is the innermost span still open on
// the calling goroutine, whichever Start function started it; without one
// it starts a root (part of the TRACEPARENT trace when that is set). It
// returns nil with recording off; unsampled traces are handled as by Start.
func StartHere(name, function, location string) (s *Span) {
	if maybeOn.Load() {
		s = startHere(name, function, location)
	}
	return
}

func startHere(name, function, location string) *Span {
	r := current()
	if r == nil {
		return nil
	}
	g := getg()
	slot := gls.lookup(g)
	var s *Span
	if slot < 0 {
		s = r.root(context.Background(), name, function, location, nil)
	} else if p := gls.vals[slot].Load(); p == nil {
		s = r.root(context.Background(), name, function, location, nil)
	} else if p.flags&flagSampled == 0 {
		return nil
	} else {
		s = child(context.Background(), p, name, function, location)
	}
	begin(s, g, slot)
	return s
}

// child returns a new span under p, sampled when p is. Under an unsampled
// local p callers return nil instead; under an unsampled remote p the
// child is this process's unsampled root.
func child(ctx context.Context, p *Span, name, function, location string) *Span {
	return &Span{
		ctx: ctx, name: name, function: function, location: location,
		trace: p.trace, parentID: p.id, flags: p.flags & flagSampled,
	}
}

// root returns a new span that starts this process's part of a trace: under
// rem when given, else under the TRACEPARENT of the process, else of a new
// trace, sampled at the configured rate. An unsampled root is still
// allocated, so that the goroutine's later spans and propagated headers
// know the trace is not sampled; its descendants cost nothing.
func (r *recorder) root(ctx context.Context, name, function, location string, rem *remote) *Span {
	s := &Span{ctx: ctx, name: name, function: function, location: location}
	if rem == nil && envParent.ok {
		rem = &envParent.remote
	}
	if rem != nil {
		s.trace, s.parentID = rem.trace, rem.span
		if rem.sampled {
			s.flags = flagSampled
		}
	} else {
		s.trace = newTraceID()
		if r.sampleRoot() {
			s.flags = flagSampled
		}
	}
	return s
}

// begin gives s its id, makes it the goroutine's innermost span (slot is
// g's table slot when the caller already looked it up, else -1) and reads
// the start time last, so the span measures as little of autotrace as
// possible.
func begin(s *Span, g uintptr, slot int32) {
	s.id = newSpanID()
	gls.push(g, slot, s)
	if s.flags&flagSampled != 0 {
		if useTSC { // ticks(), by hand: one call less on the hot path
			s.start = rdtsc()
		} else {
			s.start = monoNow()
		}
	}
}
