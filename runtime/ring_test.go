package autotrace

import (
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// appendSpanRef is the span encoder as it was before buffered spans became
// recs (it read everything from the Span): the reference appendSpan must
// match byte for byte.
func appendSpanRef(b []byte, s *tspan, end int64, c *clockConv) []byte {
	j := &s.site.json
	b = append(b, `{"trace_id":"`...)
	b = appendHex64(b, s.trace.hi)
	b = appendHex64(b, s.trace.lo)
	b = append(b, `","span_id":"`...)
	b = appendHex64(b, s.id)
	b = append(b, `","parent_id":"`...)
	if s.parentID != 0 {
		b = appendHex64(b, s.parentID)
	}
	b = append(b, j.head...)
	b = strconv.AppendInt(b, c.wall(s.start), 10)
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, c.dur(end-s.start), 10)
	b = append(b, pidField...)
	b = append(b, statusName(s.status)...)
	b = append(b, '"')
	if s.state != "" {
		b = append(b, `,"tracestate":`...)
		b = appendString(b, s.state)
	}
	e := s.extra
	if e != nil && e.err != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, e.err)
	}
	b = append(b, j.attrs...)
	if e != nil {
		if s.status == statusPanic {
			b = appendAttr(b, "panic.value", e.panicVal)
			b = appendAttr(b, "panic.location", e.panicLoc)
			b = appendAttr(b, "panic.function", e.panicFn)
		}
		for _, a := range e.attrs {
			b = append(b, ',')
			b = appendString(b, a.Key)
			b = append(b, ':')
			b = a.Value.appendJSON(b)
		}
	}
	return append(b, "}}\n"...)
}

func TestRecSize(t *testing.T) {
	if n := unsafe.Sizeof(rec{}); n != 64 {
		t.Errorf("rec is %d bytes, want 64 (one cache line)", n)
	}
}

// refSpans are spans of every shape a buffer holds: plain (a rec alone)
// and with extras (the Span too).
func refSpans() []*tspan {
	site := siteOf("ring.test.site")
	unnumbered := &callSite{name: "ring.test.unnumbered", function: "x.Y", location: "a/b.go:7"}
	unnumbered.json = encodeSite(unnumbered)
	base := func() *tspan {
		return &tspan{site: site, trace: traceID{0x0af7651916cd43dd, 0x8448eb211c80319c},
			id: 0xb7ad6b7169203331, parentID: 0x00f067aa0ba902b7, start: 1 << 40, flags: flagSampled}
	}
	var out []*tspan
	s := base()
	out = append(out, s)
	s = base()
	s.parentID = 0
	out = append(out, s)
	s = base()
	s.start = 12345
	out = append(out, s)
	s = base()
	s.ext().err = bounded(errorText(errBoom))
	out = append(out, s)
	s = base()
	s.setAttr("k", "v\"\n")
	s.setAttr("k2", strings.Repeat("é", 300))
	out = append(out, s)
	s = base()
	s.state = "vendor=x,other=y"
	out = append(out, s)
	s = base()
	s.status = statusPanic
	e := s.ext()
	e.panicVal, e.panicLoc, e.panicFn = "boom", "a.go:3", "main.f"
	s.setAttr("after", "panic")
	out = append(out, s)
	s = base()
	s.site = unnumbered
	out = append(out, s)
	return out
}

// copySpan returns a new span with s's recorded fields.
func copySpan(s *tspan) *tspan {
	return &tspan{site: s.site, trace: s.trace, id: s.id, parentID: s.parentID,
		start: s.start, extra: s.extra, flags: s.flags, status: s.status, state: s.state}
}

// TestRecEncodingMatchesSpan: a span encoded from its rec (and its Span
// when it has extras) is the very line the Span itself gave.
func TestRecEncodingMatchesSpan(t *testing.T) {
	c := newClockConv()
	c.rate = 0.37
	for i, s := range refSpans() {
		end := s.start + 987654
		var r rec
		has := recOfT(&r, s, end)
		wantHas := s.extra != nil || s.state != "" || s.site.idx == 0
		if has != wantHas {
			t.Errorf("span %d: recOf = %v, want %v", i, has, wantHas)
		}
		var sp *spanExtra
		if has {
			sp = s.x()
		}
		got := string(appendSpan(nil, &r, sp, &c))
		want := string(appendSpanRef(nil, s, end, &c))
		if got != want {
			t.Errorf("span %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// TestShardExtrasAndDrops pushes spans with and without extras through a
// shard, fills it until spans are dropped and counted, and checks that a
// drain hands over each span once, in order, and lets go of the Spans.
func TestShardExtrasAndDrops(t *testing.T) {
	for _, kind := range []string{"shard", "mpsc"} {
		t.Run(kind, func(t *testing.T) {
			const size = 64
			var q shard
			var m mpscRing
			push := func(s *tspan, end int64) {
				if kind == "shard" {
					r, x := s.parts()
					if _, ok := q.push(r, x, end); !ok {
						q.dropped.Add(1) // as recorder.push does
					}
				} else {
					r, x := s.parts()
					m.push(r, x, end)
				}
			}
			drain := func(f func(*rec, *spanExtra)) {
				if kind == "shard" {
					q.drain(f)
				} else {
					m.drain(f)
				}
			}
			dropped := func() uint64 {
				if kind == "shard" {
					return q.dropped.Load()
				}
				return m.dropped.Load()
			}
			spansArr := func() []*spanExtra {
				if kind == "shard" {
					return q.xs
				}
				return m.spans
			}
			q.init(size)
			m.init(size)
			shapes := refSpans()
			var pushed []*tspan
			for round := 0; round < 3; round++ {
				for i := 0; i < size+10; i++ {
					s := copySpan(shapes[i%len(shapes)])
					s.id = uint64(round*1000 + i + 1)
					push(s, s.start+int64(i))
					if i < size {
						pushed = append(pushed, s)
					}
				}
				if got, want := dropped(), uint64(10*(round+1)); got != want {
					t.Fatalf("round %d: %d dropped, want %d", round, got, want)
				}
				n := 0
				drain(func(r *rec, sp *spanExtra) {
					s := pushed[n]
					n++
					if r.id != s.id || r.end != s.start+int64(n-1) || r.trace != s.trace || r.parentID != s.parentID || r.status != s.status {
						t.Fatalf("rec %d = %+v, want span %d", n-1, *r, s.id)
					}
					wantSpan := s.extra != nil || s.state != "" || s.site.idx == 0
					if (sp != nil) != wantSpan || sp != nil && sp != s.x() {
						t.Fatalf("rec %d: span %p, want extras %v (%p)", n-1, sp, wantSpan, s)
					}
					if recSite(r, sp) == nil || recSite(r, sp).name != s.site.name {
						t.Fatalf("rec %d: wrong site", n-1)
					}
				})
				if n != size {
					t.Fatalf("round %d: drained %d, want %d", round, n, size)
				}
				for i, sp := range spansArr() {
					if sp != nil {
						t.Fatalf("round %d: spans[%d] still held after the drain", round, i)
					}
				}
				pushed = pushed[:0]
			}
		})
	}
}

// TestShardConcurrent: one producer and the exporter draining at the same
// time (run with -race): every span arrives once, in order.
func TestShardConcurrent(t *testing.T) {
	const n = 200_000
	var q shard
	q.init(256)
	shapes := refSpans()
	ids := make(map[*spanExtra]uint64)
	var idsMu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; i <= n; i++ {
			s := copySpan(shapes[i%len(shapes)])
			s.id = uint64(i)
			if x := s.x(); x != nil {
				idsMu.Lock()
				ids[x] = s.id
				idsMu.Unlock()
			}
			for {
				r, x := s.parts()
				if _, ok := q.push(r, x, int64(i)); ok {
					break
				}
			}
		}
	}()
	next := uint64(1)
	check := func(r *rec, sp *spanExtra) {
		if r.id != next || r.end != int64(next) {
			t.Fatalf("got span %d (end %d), want %d", r.id, r.end, next)
		}
		idsMu.Lock()
		id, ok := ids[sp]
		idsMu.Unlock()
		if sp != nil && (!ok || id != r.id) {
			t.Fatalf("span %d carries the extras of %d", r.id, id)
		}
		next++
	}
	for next <= n {
		q.drain(check)
	}
	wg.Wait()
	if d := q.dropped.Load(); d == 0 {
		t.Log("no drops (the drain kept up)")
	}
}

// TestSiteRegistry: sites of the same content share a number, each keeps
// the caller's name string, and siteAt returns an equal site.
func TestSiteRegistry(t *testing.T) {
	a := resolveSite(strings.Clone("registry.test.name"))
	b := resolveSite(strings.Clone("registry.test.name"))
	if a.idx == 0 || a.idx != b.idx {
		t.Fatalf("numbers %d and %d, want the same non-zero number", a.idx, b.idx)
	}
	if got := siteAt(a.idx); got.name != a.name || got.json != a.json {
		t.Errorf("siteAt(%d) = %+v, want %+v", a.idx, got, a)
	}
	c := resolveSite("registry.test.other")
	if c.idx == a.idx || c.idx == 0 {
		t.Errorf("another site got number %d (first: %d)", c.idx, a.idx)
	}
}

// TestSiteRegistryFull: past maxSites, sites get no number and their spans
// are buffered with the Span, written as before.
func TestSiteRegistryFull(t *testing.T) {
	sites.mu.Lock()
	saved := sites.n
	sites.n = maxSites - 1
	sites.mu.Unlock()
	defer func() {
		sites.mu.Lock()
		sites.n = saved
		sites.mu.Unlock()
	}()
	s := resolveSite("registry.test.full." + strconv.Itoa(int(saved)))
	if s.idx != 0 {
		t.Fatalf("site numbered %d in a full registry", s.idx)
	}
	sp := &tspan{site: s, id: 1, trace: traceID{1, 2}, start: 10, flags: flagSampled}
	var r rec
	if !recOfT(&r, sp, 20) {
		t.Fatal("a span of an unnumbered site must be buffered with its Span")
	}
	c := newClockConv()
	if got, want := string(appendSpan(nil, &r, sp.x(), &c)), string(appendSpanRef(nil, sp, 20, &c)); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestOverflowMadeOnDemand: the overflow buffer exists only once a P
// beyond the shards ends a span (GOMAXPROCS raised while recording), and
// its spans are written like the others.
func TestOverflowMadeOnDemand(t *testing.T) {
	out := record(t, Config{BufferSize: 1 << 16})
	r := active.Load()
	if r.overflow.Load() != nil {
		t.Fatal("overflow buffer made before any P beyond the shards ended a span")
	}
	prev := runtime.GOMAXPROCS(len(r.shards) + 4)
	defer runtime.GOMAXPROCS(prev)
	const goroutines, iters = 16, 200
	total := 0
	for attempt := 0; attempt < 20 && r.overflow.Load() == nil; attempt++ {
		var wg sync.WaitGroup
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < iters; i++ {
					StartHere("overflow.test").End()
				}
			}()
		}
		wg.Wait()
		total += goroutines * iters
	}
	if r.overflow.Load() == nil {
		t.Skip("no span ended on a P beyond the shards")
	}
	Flush()
	if n := len(quickSpans(t, out)); n != total {
		t.Fatalf("%d spans written, want %d", n, total)
	}
	if pushed, dropped := r.counts(); pushed != uint64(total) || dropped != 0 {
		t.Errorf("counts: %d pushed, %d dropped, want %d and 0", pushed, dropped, total)
	}
}

// TestShardExtrasRingBound: a shard's ring of extras is shorter than its
// ring of spans; when it is full a span with extras finds the shard full
// (the caller then waits or drops, as for a full shard) while spans
// without extras still go in, and a drain hands every span its own
// extras, in order.
func TestShardExtrasRingBound(t *testing.T) {
	const size = 4 * maxShardExtras
	var q shard
	q.init(size)
	if len(q.xs) != maxShardExtras {
		t.Fatalf("extras ring of %d, want %d", len(q.xs), maxShardExtras)
	}
	shapes := refSpans()
	var withX, plain *tspan
	for _, s := range shapes {
		if _, x := s.parts(); x != nil && withX == nil {
			withX = s
		} else if x == nil && plain == nil {
			plain = s
		}
	}
	var want []*spanExtra // the extras of each span accepted, nil for none
	refused := 0
	for i := 0; i < maxShardExtras+100; i++ {
		s := copySpan(withX)
		s.id = uint64(i + 1)
		r, x := s.parts()
		if _, ok := q.push(r, x, 1); !ok {
			refused++
			continue
		}
		want = append(want, x)
		if i%3 == 0 { // spans without extras still fit
			p := copySpan(plain)
			r, x := p.parts()
			if _, ok := q.push(r, x, 1); !ok {
				t.Fatalf("span without extras refused with %d of %d slots used", q.tail.Load(), size)
			}
			want = append(want, nil)
		}
	}
	if refused != 100 {
		t.Fatalf("%d spans with extras refused, want 100 (ring of %d)", refused, maxShardExtras)
	}
	n := 0
	q.drain(func(r *rec, x *spanExtra) {
		if x != want[n] {
			t.Fatalf("rec %d: extras %p, want %p", n, x, want[n])
		}
		n++
	})
	if n != len(want) {
		t.Fatalf("drained %d, want %d", n, len(want))
	}
	for i, x := range q.xs {
		if x != nil {
			t.Fatalf("xs[%d] still held after the drain", i)
		}
	}
	s := copySpan(withX) // the ring is free again
	if r, x := s.parts(); !func() bool { _, ok := q.push(r, x, 1); return ok }() {
		t.Fatal("span with extras refused after the drain")
	}
}

// TestExtrasHalfFullWakes: spans with extras (attributes, errors) wake
// the exporter when they fill half their shard's ring of extras, as
// spans do half a shard: a server whose every request span has
// attributes fills that ring first, and when it was full the program's
// goroutine drained the buffers itself (pushFull).
func TestExtrasHalfFullWakes(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // one shard: every span in it
	var w lockedBuffer
	record(t, Config{Writer: &w, FlushInterval: time.Hour})
	for i := range maxShardExtras/2 + 1 {
		s := StartHere("extras.attr")
		s.SetInt("i", int64(i))
		s.End()
	}
	for deadline := time.Now().Add(10 * time.Second); !w.contains("extras.attr"); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d spans with attributes, half the ring of extras, did not wake the exporter in 10 s", maxShardExtras/2+1)
		}
	}
}
