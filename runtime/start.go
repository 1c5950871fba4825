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
	g := getg()
	b := bridge.Load()
	if c, direct := ctx.(*spanCtx); direct && b == nil { // the common case: ctx came from Start
		if s, id := beginKept(g, name, c); s.r != 0 {
			return &spanCtx{Context: ctx, trace: c.trace, id: id, span: s}, s
		}
		at := placeAt(gls.acquire(g))
		return begun(ctx, at, c.span.r, child(g, at, c.trace, c.id, flagSampled, "", name))
	}
	if ctx == nil {
		ctx = context.Background()
	}
	p, ok := spanOf(ctx)
	if b != nil {
		if rem, ok := foreignParent(b, ctx, p); ok {
			at := placeAt(gls.acquire(g))
			return begun(ctx, at, 0, r.root(g, at, name, &rem))
		}
	}
	if !ok {
		// A context without a span (context.Background in main, say):
		// the goroutine's innermost span is the parent, as for StartHere.
		at, pr := placeIn(gls.acquire(g))
		if pr == nil {
			return begun(ctx, at, 0, r.root(g, at, name, nil))
		}
		if pr.flags.Load()&flagSampled == 0 {
			return ctx, Span{}
		}
		return begun(ctx, at, at.top, childOf(g, at, pr, name))
	}
	if p.flags&(flagSampled|flagRemote) == 0 {
		return ctx, Span{} // inside an unsampled trace: children follow their root
	}
	at := placeAt(gls.acquire(g))
	return begun(ctx, at, p.span.r, child(g, at, p.trace, p.id, p.flags&flagSampled, p.state, name))
}

// begun begins the span o at place at, under the local span pref (0:
// none), and returns its child context.
func begun(ctx context.Context, at place, pref ref, o opened) (context.Context, Span) {
	if o.r == nil {
		gls.unclaim(at)
		return ctx, Span{}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	begin(o, at, pref)
	return childContext(ctx, o.r, o.s, o.state), o.s
}

// opened is a span given its record, not yet begun.
type opened struct {
	r     *spanRec
	s     Span
	state string // the trace's tracestate
}

// placeIn returns the place of the goroutine's next span in its slot j
// (-1: none) and its innermost open span, the parent of a span started
// without a context, if any (see liveRec).
func placeIn(j int32) (place, *spanRec) {
	if j < 0 {
		return place{j: -1}, nil
	}
	top := ref(gls.vals[j].Load())
	r := top.rec()
	if r == nil {
		return place{top: top, j: j}, nil
	}
	at := place{top: top, j: j, d: maxDepth}
	if r.depth < maxDepth {
		at.d = r.depth + 1
	}
	if r.flags.Load()&flagLink != 0 && r.link.rec() == nil {
		return at, nil // an adoption whose adopted span has ended
	}
	return at, r
}

// startRequest is StartRequest for the request's context and header; it
// returns ctx and the zero Span when the request keeps its context.
func startRequest(ctx context.Context, header map[string][]string, name string) (context.Context, Span) {
	r := current()
	if r == nil {
		return ctx, Span{}
	}
	g := getg()
	p, ok := spanOf(ctx)
	if b := bridge.Load(); b != nil {
		if rem, ok := foreignParent(b, ctx, p); ok {
			at := placeAt(gls.acquire(g))
			return begun(ctx, at, 0, r.root(g, at, name, &rem))
		}
	}
	if ok {
		if p.flags&(flagSampled|flagRemote) == 0 {
			return ctx, Span{}
		}
		at := placeAt(gls.acquire(g))
		return begun(ctx, at, p.span.r, child(g, at, p.trace, p.id, p.flags&flagSampled, p.state, name))
	}
	if rem, ok := headerParent(header); ok {
		at := placeAt(gls.acquire(g))
		return begun(ctx, at, 0, r.root(g, at, name, &rem))
	}
	// The slot is looked up, not claimed, until a span is begun in it.
	at, pr := placeIn(gls.lookup(g))
	if pr == nil {
		if at.j < 0 {
			at = placeAt(gls.acquire(g))
		}
		return begun(ctx, at, 0, r.root(g, at, name, nil))
	}
	if pr.flags.Load()&flagSampled == 0 {
		return ctx, Span{}
	}
	return begun(ctx, at, at.top, childOf(g, at, pr, name))
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

// startHere is StartHere with recording on: its common case in
// beginKept, anything else in hereSlow, the general path.
func startHere(name string) Span {
	if s, _ := beginKept(getg(), name, nil); s.r != 0 {
		return s
	}
	return hereSlow(name)
}

// hereSlow is startHere's general path.
func hereSlow(name string) Span {
	r := active.Load() // current's common case, without the call
	if r == nil {
		if r = current(); r == nil {
			return Span{}
		}
	}
	g := getg()
	at, pr := placeIn(gls.acquire(g))
	var o opened
	if pr == nil {
		o = r.root(g, at, name, nil)
	} else if pr.flags.Load()&flagSampled == 0 {
		return Span{}
	} else {
		o = childOf(g, at, pr, name)
	}
	if o.r == nil {
		gls.unclaim(at)
		return Span{}
	}
	begin(o, at, at.top)
	return o.s
}

// child opens a span under the parent trace/id, sampled when sampled is
// flagSampled; state is the trace's tracestate. Under an unsampled local
// parent callers return the zero Span instead; under an unsampled remote
// parent the child is this process's unsampled root.
func child(g uintptr, at place, trace traceID, id uint64, sampled uint32, state string, name string) opened {
	flags := sampled
	if state != "" {
		flags |= flagState
	}
	r, h := openAt(g, at, flags)
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

// childOf opens a span at place at, under the goroutine's innermost span
// pr (ref at.top), reading what it needs straight from pr's record.
func childOf(g uintptr, at place, pr *spanRec, name string) opened {
	flags := pr.flags.Load()
	if flags&flagState != 0 {
		return child(g, at, pr.trace(), pr.id.Load(), flags&flagSampled, stateOf(at.top), name)
	}
	r, h := openAt(g, at, flags&flagSampled)
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
func (rc *recorder) root(g uintptr, at place, name string, rem *remote) opened {
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
	r, h := openAt(g, at, flags)
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
// at place at and reads the start time last, so the span measures as
// little of autotrace as possible. pref is its local parent, if any, for
// the execution trace.
func begin(o opened, at place, pref ref) {
	r := o.r
	storeRelUint64(&r.id, spanIDAt(at.j))
	r.status = statusOK
	gls.push(at, o.s.r, r)
	if foldOn.Load() {
		if p := pref.rec(); p != nil && p.owner.Load() == r.owner.Load() {
			keepParent(p)
		}
	}
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
