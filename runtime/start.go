package autotrace

import "context"

// Each Start function is a tiny inlinable check of the recording mode in
// front of an out-of-line slow path, so that with recording off an
// instrumented call costs one load and one compare.

// Start starts a span named name as a child of the span in ctx, or of the
// remote parent in ctx (see WithTraceContext), or, when ctx carries neither,
// of the innermost span open on the calling goroutine, or else as a root (part of the
// TRACEPARENT trace when that is set). It returns the child context, which
// is the span itself, and the span; with recording off it returns ctx
// unchanged and a nil span. In a trace that is not sampled, spans are nil
// too, except the first one in this process, which carries the decision to
// its descendants (one allocation) and is never recorded.
//
// The span's static attributes, the import-path-qualified function name
// and its module-relative file and line, are read from the caller's stack
// the first time a name is seen (see siteOf).
func Start(ctx context.Context, name string) (child context.Context, s *Span) {
	child = ctx
	if maybeOn.Load() {
		child, s = start(ctx, name)
	}
	return
}

func start(ctx context.Context, name string) (context.Context, *Span) {
	r := active.Load() // current's common case, without the call
	if r == nil {
		if r = current(); r == nil {
			return ctx, nil
		}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	g, slot := getg(), int32(-1)
	p := spanOf(ctx)
	if b := bridge.Load(); b != nil {
		if rem, ok := foreignParent(b, ctx, p); ok {
			s := r.root(ctx, name, &rem)
			begin(s, g, slot)
			return s, s
		}
	}
	if p == nil {
		// A context without a span (context.Background in main, say):
		// the goroutine's innermost span is the parent, as for StartHere.
		// The slot is claimed now, in the same probe, for begin's push.
		slot, p = ownParent(g)
	}
	var s *Span
	if p == nil {
		s = r.root(ctx, name, nil)
	} else if p.flags&(flagSampled|flagRemote) == 0 {
		return ctx, nil // inside an unsampled trace: children follow their root
	} else {
		s = child(ctx, p, name)
	}
	begin(s, g, slot)
	return s, s
}

// ownParent returns g's slot in the goroutine table, claiming one when g
// has none (-1 if the table has no room), and g's innermost open span, if
// any. The caller pushes a span into the slot: a slot claimed and left
// empty would stay g's.
func ownParent(g uintptr) (int32, *Span) {
	slot := gls.acquire(g)
	if slot < 0 {
		return slot, nil
	}
	return slot, live(gls.vals[slot].Load())
}

// localParent returns g's slot in the goroutine table (-1 if it has none)
// and its innermost open span, if any.
func localParent(g uintptr) (int32, *Span) {
	slot := gls.lookup(g)
	if slot < 0 {
		return slot, nil
	}
	return slot, live(gls.vals[slot].Load())
}

// startRequest is StartRequest for the request's context and header; it
// returns nil when the request keeps its context.
func startRequest(ctx context.Context, header map[string][]string, name string) *Span {
	r := current()
	if r == nil {
		return nil
	}
	g, slot := getg(), int32(-1)
	p := spanOf(ctx)
	if b := bridge.Load(); b != nil {
		if rem, ok := foreignParent(b, ctx, p); ok {
			s := r.root(ctx, name, &rem)
			begin(s, g, slot)
			return s
		}
	}
	var s *Span
	if p != nil {
		if p.flags&(flagSampled|flagRemote) == 0 {
			return nil
		}
		s = child(ctx, p, name)
	} else if rem, ok := headerParent(header); ok {
		s = r.root(ctx, name, &rem)
	} else if slot, p = localParent(g); p != nil {
		if p.flags&flagSampled == 0 {
			return nil
		}
		s = child(ctx, p, name)
	} else {
		s = r.root(ctx, name, nil)
	}
	begin(s, g, slot)
	return s
}

// StartHere starts a span whose parent is the innermost span still open on
// the calling goroutine, whichever Start function started it; without one
// it starts a root (part of the TRACEPARENT trace when that is set). It
// returns nil with recording off; unsampled traces are handled as by Start.
func StartHere(name string) (s *Span) {
	if maybeOn.Load() {
		s = startHere(name)
	}
	return
}

func startHere(name string) *Span {
	r := active.Load() // current's common case, without the call
	if r == nil {
		if r = current(); r == nil {
			return nil
		}
	}
	g := getg()
	slot, p := ownParent(g)
	var s *Span
	if p == nil {
		s = r.root(context.Background(), name, nil)
	} else if p.flags&flagSampled == 0 {
		return nil
	} else {
		s = child(context.Background(), p, name)
	}
	begin(s, g, slot)
	return s
}

// child returns a new span under p, sampled when p is. Under an unsampled
// local p callers return nil instead; under an unsampled remote p the
// child is this process's unsampled root.
func child(ctx context.Context, p *Span, name string) *Span {
	return &Span{
		ctx: ctx, site: siteOf(name),
		trace: p.trace, parentID: p.id, flags: p.flags & flagSampled, state: p.state,
	}
}

// root returns a new span that starts this process's part of a trace: under
// rem when given, else under the TRACEPARENT of the process, else of a new
// trace, sampled at the configured rate. An unsampled root is still
// allocated, so that the goroutine's later spans and propagated headers
// know the trace is not sampled; its descendants cost nothing.
func (r *recorder) root(ctx context.Context, name string, rem *remote) *Span {
	s := &Span{ctx: ctx, site: siteOf(name), flags: flagRoot}
	if rem == nil && envParent.ok {
		rem = &envParent.remote
	}
	if rem != nil {
		s.trace, s.parentID, s.state = rem.trace, rem.span, rem.state
		if rem.sampled {
			s.flags |= flagSampled
		}
	} else {
		s.trace = newTraceID()
		if r.sampleRoot() {
			s.flags |= flagSampled
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
		if execOn.Load() {
			execBegin(s)
		}
		if useTSC { // ticks(), by hand: one call less on the hot path
			s.start = rdtsc()
		} else {
			s.start = monoNow()
		}
	}
}
