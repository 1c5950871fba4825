package autotrace

// An Adoption ties a goroutine to the span of the function that started
// it; see Adopt.
type Adoption struct{ link *Span }

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
// The goroutine holds a small link object, not parent itself, so nothing
// of parent is written from two goroutines; Release frees the goroutine's
// table slot once its last span has ended. With recording off, Adopt does
// nothing and allocates nothing.
func Adopt(parent *Span) Adoption {
	if parent == nil {
		return Adoption{}
	}
	link := &Span{ctx: parent, trace: parent.trace, id: parent.id, flags: parent.flags&flagSampled | flagLink, state: parent.state}
	gls.push(getg(), -1, link)
	if execOn.Load() {
		link.exec = execAdopt(parent)
	}
	return Adoption{link}
}

// Release ends the adoption: the goroutine's ctx-less spans no longer have
// the adopted parent.
func (a Adoption) Release() {
	if a.link != nil {
		gls.pop(a.link)
		if a.link.exec != nil {
			a.link.exec.region.End()
		}
	}
}

// live returns the parent a new span should take from the goroutine-local
// table: p itself, or nil when p is the link to an adopted span that has
// ended since.
func live(p *Span) *Span {
	if p != nil && p.flags&flagLink != 0 && p.adopted().ended.Load() {
		return nil
	}
	return p
}

// adopted returns the span that link, a goroutine's link (flagLink),
// stands in for: a link keeps it in ctx, which a link never uses otherwise.
func (link *Span) adopted() *Span { return link.ctx.(*Span) }
