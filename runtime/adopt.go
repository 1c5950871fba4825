package autotrace

// An Adoption ties a goroutine to the span of the function that started
// it; see Adopt.
type Adoption struct{ link Span }

// Adopt is called first thing in a goroutine started by a go statement of
// an instrumented function, with that function's span; generated code
// writes
//
//	defer autotrace.Adopt(__span).Release()
//
// Until Release, spans the goroutine starts without a context (and with a
// context that carries no span) are children of parent, as long as parent
// is open. Once parent has ended, as when a worker outlives the request
// that started it, they start traces of their own instead: later work
// never attaches to a stale parent.
//
// The goroutine holds a link record of its own that copies parent's trace
// and id, not parent itself, so nothing of parent is written from two
// goroutines; Release frees the link and the goroutine's table slot once
// its last span has ended. With recording off, or parent already ended,
// Adopt does nothing and allocates nothing.
func Adopt(parent Span) Adoption {
	p := parent.r.rec()
	if p == nil {
		return Adoption{}
	}
	trace, id, flags := p.trace(), p.id.Load(), p.flags.Load()
	x := extOf(parent.r.idx())
	if p.gen.Load() != parent.r.gen() {
		return Adoption{} // ended while we read it
	}
	g := getg()
	l, h := openRec(g, flags&(flagSampled|flagState)|flagLink)
	if l == nil {
		return Adoption{}
	}
	l.setTrace(trace)
	storeRelUint64(&l.id, id)
	storeRelUint32(&l.site, p.site.Load())
	l.link = parent.r
	if x != nil && (x.state != "" || x.exec != nil) {
		lx := extFor(h.idx())
		lx.state = x.state
		if execOn.Load() && x.exec != nil {
			lx.exec = execAdopt(x.exec, siteOfRec(p, x).name)
		}
	}
	gls.push(placeAt(gls.acquire(g)), h, l)
	return Adoption{Span{h}}
}

// Release ends the adoption: the goroutine's ctx-less spans no longer have
// the adopted parent.
func (a Adoption) Release() {
	l := a.link.r.own()
	if l == nil {
		return
	}
	gls.pop(l, a.link.r)
	if x := takeExt(a.link.r.idx()); x != nil && x.exec != nil {
		x.exec.region.End()
	}
	closeRec(l, a.link.r)
}
