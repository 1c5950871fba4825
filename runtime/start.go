package autotrace

import "context"

// Each Start function is a tiny inlinable check of the recording mode in
// front of an out-of-line slow path, so that with recording off an
// instrumented call costs one load and one compare.

// Start starts a span named name as a child of the span in ctx, or of the
// remote parent in ctx (see WithTraceContext), or, when ctx carries neither,
// of the innermost span open on the calling goroutine, or else as a root (part of the
// TRACEPARENT trace when that is set). It returns the child context, a
// small immutable object that names the span for the code below (the one
// allocation of a span started this way), and the span's handle; with
// recording off it returns ctx unchanged and the zero Span. In a trace that
// is not sampled, spans are zero too, except the first one in this
// process, which carries the decision to its descendants and is never
// recorded.
//
// The span's static attributes, the import-path-qualified function name
// and its module-relative file and line, are read from the caller's stack
// the first time a name is seen (see siteOf).
func Start(ctx context.Context, name string) (child context.Context, s Span) {
	child = ctx
	if maybeOn.Load() {
		child, s = start(ctx, name)
	}
	return
}

func start(ctx context.Context, name string) (context.Context, Span) {
	r := active.Load() // current's common case, without the call
	if r == nil {
		if r = current(); r == nil {
			return ctx, Span{}
		}
	}
	g, slot := getg(), int32(-1)
	b := bridge.Load()
	if c, direct := ctx.(*spanCtx); direct && b == nil { // the common case: ctx came from Start
		return begun(ctx, g, slot, c.span.r, child(g, c.trace, c.id, flagSampled, "", name))
	}
	if ctx == nil {
		ctx = context.Background()
	}
	p, ok := spanOf(ctx)
	if b != nil {
		if rem, ok := foreignParent(b, ctx, p); ok {
			return begun(ctx, g, slot, 0, r.root(g, name, &rem))
		}
	}
	if !ok {
		// A context without a span (context.Background in main, say):
		// the goroutine's innermost span is the parent, as for StartHere.
		// The slot is claimed now, in the same probe, for begin's push.
		var pr *spanRec
		var ph ref
		if slot, pr, ph = ownParent(g); pr == nil {
			return begun(ctx, g, slot, 0, r.root(g, name, nil))
		}
		if pr.flags.Load()&flagSampled == 0 {
			return ctx, Span{}
		}
		return begun(ctx, g, slot, ph, childOf(g, pr, ph, name))
	}
	if p.flags&(flagSampled|flagRemote) == 0 {
		return ctx, Span{} // inside an unsampled trace: children follow their root
	}
	return begun(ctx, g, slot, p.span.r, child(g, p.trace, p.id, p.flags&flagSampled, p.state, name))
}

// begun begins the span o under the local span pref (0: none) and returns
// its child context.
func begun(ctx context.Context, g uintptr, slot int32, pref ref, o opened) (context.Context, Span) {
	if o.r == nil {
		return ctx, Span{}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	begin(o, g, slot, pref)
	return childContext(ctx, o.r, o.s, o.state), o.s
}

// opened is a span given its record, not yet begun.
type opened struct {
	r     *spanRec
	s     Span
	state string // the trace's tracestate
}

// ownParent returns g's slot in the goroutine table, claiming one when g
// has none (-1 if the table has no room), and g's innermost open span, if
// any, with its ref. The caller pushes a span into the slot: a slot
// claimed and left empty would stay g's.
func ownParent(g uintptr) (int32, *spanRec, ref) {
	slot := gls.acquire(g)
	if slot < 0 {
		return slot, nil, 0
	}
	h := ref(gls.vals[slot].Load())
	return slot, liveRec(h), h
}

// localParent returns g's slot in the goroutine table (-1 if it has none)
// and its innermost open span, if any, with its ref.
func localParent(g uintptr) (int32, *spanRec, ref) {
	slot := gls.lookup(g)
	if slot < 0 {
		return slot, nil, 0
	}
	h := ref(gls.vals[slot].Load())
	return slot, liveRec(h), h
}

// startRequest is StartRequest for the request's context and header; it
// returns ctx and the zero Span when the request keeps its context.
func startRequest(ctx context.Context, header map[string][]string, name string) (context.Context, Span) {
	r := current()
	if r == nil {
		return ctx, Span{}
	}
	g, slot := getg(), int32(-1)
	p, ok := spanOf(ctx)
	if b := bridge.Load(); b != nil {
		if rem, ok := foreignParent(b, ctx, p); ok {
			return begun(ctx, g, slot, 0, r.root(g, name, &rem))
		}
	}
	if ok {
		if p.flags&(flagSampled|flagRemote) == 0 {
			return ctx, Span{}
		}
		return begun(ctx, g, slot, p.span.r, child(g, p.trace, p.id, p.flags&flagSampled, p.state, name))
	}
	if rem, ok := headerParent(header); ok {
		return begun(ctx, g, slot, 0, r.root(g, name, &rem))
	}
	slot, pr, ph := localParent(g)
	if pr == nil {
		return begun(ctx, g, slot, 0, r.root(g, name, nil))
	}
	if pr.flags.Load()&flagSampled == 0 {
		return ctx, Span{}
	}
	return begun(ctx, g, slot, ph, childOf(g, pr, ph, name))
}

// StartHere starts a span whose parent is the innermost span still open on
// the calling goroutine, whichever Start function started it; without one
// it starts a root (part of the TRACEPARENT trace when that is set). It
// returns the zero Span with recording off; unsampled traces are handled
// as by Start. It allocates nothing.
func StartHere(name string) (s Span) {
	if maybeOn.Load() {
		s = startHere(name)
	}
	return
}

func startHere(name string) Span {
	r := active.Load() // current's common case, without the call
	if r == nil {
		if r = current(); r == nil {
			return Span{}
		}
	}
	g := getg()
	slot, pr, ph := ownParent(g)
	var o opened
	if pr == nil {
		o = r.root(g, name, nil)
	} else if pr.flags.Load()&flagSampled == 0 {
		return Span{}
	} else {
		o = childOf(g, pr, ph, name)
	}
	if o.r == nil {
		return Span{}
	}
	begin(o, g, slot, ph)
	return o.s
}

// child opens a span under the parent trace/id, sampled when sampled is
// flagSampled; state is the trace's tracestate. Under an unsampled local
// parent callers return the zero Span instead; under an unsampled remote
// parent the child is this process's unsampled root.
func child(g uintptr, trace traceID, id uint64, sampled uint32, state string, name string) opened {
	flags := sampled
	if state != "" {
		flags |= flagState
	}
	r, h := openRec(g, flags)
	if r == nil {
		return opened{}
	}
	r.setTrace(trace)
	r.parent = id
	setSite(r, h, siteOf(name))
	if state != "" {
		extFor(h.idx()).state = state
	}
	return opened{r, Span{h}, state}
}

// childOf opens a span under the goroutine's innermost span pr (ref ph),
// reading what it needs straight from pr's record.
func childOf(g uintptr, pr *spanRec, ph ref, name string) opened {
	flags := pr.flags.Load()
	if flags&flagState != 0 {
		return child(g, pr.trace(), pr.id.Load(), flags&flagSampled, stateOf(ph), name)
	}
	r, h := openRec(g, flags&flagSampled)
	if r == nil {
		return opened{}
	}
	storeRelUint64(&r.traceHi, pr.traceHi.Load())
	storeRelUint64(&r.traceLo, pr.traceLo.Load())
	r.parent = pr.id.Load()
	setSite(r, h, siteOf(name))
	return opened{r: r, s: Span{h}}
}

// stateOf returns the tracestate kept in h's extras.
func stateOf(h ref) string {
	if x := extOf(h.idx()); x != nil {
		return x.state
	}
	return ""
}

// setSite gives r its site: by number, or in the extras when the registry
// gave the site none.
func setSite(r *spanRec, h ref, c *callSite) {
	storeRelUint32(&r.site, c.idx)
	if c.idx == 0 {
		extFor(h.idx()).site = c
	}
}

// root opens a span that starts this process's part of a trace: under
// rem when given, else under the TRACEPARENT of the process, else of a new
// trace, sampled at the configured rate. An unsampled root still takes a
// record, so that the goroutine's later spans and propagated headers know
// the trace is not sampled; its descendants cost nothing.
func (rc *recorder) root(g uintptr, name string, rem *remote) opened {
	if rem == nil && envParent.ok {
		rem = &envParent.remote
	}
	var flags uint32 = flagRoot
	if rem != nil {
		if rem.sampled {
			flags |= flagSampled
		}
	} else if rc.sampleRoot() {
		flags |= flagSampled
	}
	if rem != nil && rem.state != "" {
		flags |= flagState
	}
	r, h := openRec(g, flags)
	if r == nil {
		return opened{}
	}
	o := opened{r: r, s: Span{h}}
	if rem != nil {
		r.setTrace(rem.trace)
		r.parent, o.state = rem.span, rem.state
		if rem.state != "" {
			extFor(h.idx()).state = rem.state
		}
	} else {
		r.setTrace(newTraceID())
		r.parent = 0
	}
	setSite(r, h, siteOf(name))
	return o
}

// begin gives the span its id, makes it the goroutine's innermost span
// (slot is g's table slot when the caller already looked it up, else -1)
// and reads the start time last, so the span measures as little of
// autotrace as possible. pref is its local parent, if any, for the
// execution trace.
func begin(o opened, g uintptr, slot int32, pref ref) {
	r := o.r
	storeRelUint64(&r.id, newSpanID())
	r.status = statusOK
	gls.push(g, slot, o.s.r, r)
	if r.flags.Load()&flagSampled != 0 {
		if execOn.Load() {
			execBegin(o.s, pref)
		}
		if useTSC { // ticks(), by hand: one call less on the hot path
			r.start = rdtsc()
		} else {
			r.start = monoNow()
		}
	}
}
