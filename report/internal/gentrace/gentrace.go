// Package gentrace writes synthetic but realistic trace files: an HTTP shop
// service (handlers, services, a store, a cache, concurrent queries, a
// receipt goroutine that outlives its request, errors and rare panics) that
// calls a payment worker in a second process. The report's benchmark and
// browser test use it.
package gentrace

import (
	"bufio"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Options configures Write.
type Options struct {
	Spans int    // stop after about this many spans
	Seed  uint64 // random seed
	Start int64  // Unix ns of the first request
}

type span struct {
	trace      [16]byte
	id, parent uint64
	name       string
	start, dur int64
	pid        int
	status     string
	err        string
	file       string
	line       int
}

type gen struct {
	rng   *rand.Rand
	spans []span
	next  uint64
	trace [16]byte
}

const (
	apiPid    = 4312
	workerPid = 4313
	ms        = int64(1e6)
	us        = int64(1e3)
)

// lognormal returns a duration around median with spread sigma.
func (g *gen) lognormal(median int64, sigma float64) int64 {
	return max(int64(float64(median)*math.Exp(g.rng.NormFloat64()*sigma)), 1)
}

func (g *gen) add(parent uint64, name string, start, dur int64, pid int) *span {
	g.next++
	g.spans = append(g.spans, span{trace: g.trace, id: g.next, parent: parent, name: name, start: start, dur: dur, pid: pid, status: "ok", line: 10 + int(g.next%200)})
	return &g.spans[len(g.spans)-1]
}

// request generates one request's spans starting at t; it returns nothing:
// spans accumulate in g.spans.
func (g *gen) request(t int64) {
	for i := range g.trace {
		g.trace[i] = byte(g.rng.Uint32())
	}
	switch r := g.rng.IntN(100); {
	case r < 45:
		g.listProducts(t)
	case r < 75:
		g.getProduct(t)
	default:
		g.checkout(t)
	}
}

// call adds a span of name with dur covering its children built by body,
// which gets the child start time and returns the time it finished.
func (g *gen) call(parent uint64, name string, t int64, pid int, body func(id uint64, t int64) int64) *span {
	idx := len(g.spans)
	s := g.add(parent, name, t, 0, pid)
	id := s.id
	end := body(id, t+g.lognormal(40*us, 0.5))
	s = &g.spans[idx]
	s.dur = end - t + g.lognormal(30*us, 0.5)
	return s
}

func (g *gen) leaf(parent uint64, name string, t int64, pid int, median int64, sigma float64) int64 {
	s := g.add(parent, name, t, g.lognormal(median, sigma), pid)
	return s.start + s.dur
}

func (g *gen) auth(parent uint64, t int64) int64 {
	return g.call(parent, "auth.(*Verifier).Check", t, apiPid, func(id uint64, t int64) int64 {
		return g.leaf(id, "auth.parseToken", t, apiPid, 60*us, 0.3)
	}).end()
}

func (s *span) end() int64 { return s.start + s.dur }

func (g *gen) listProducts(t int64) {
	g.call(0, "api.(*Server).ListProducts", t, apiPid, func(id uint64, t int64) int64 {
		t = g.auth(id, t)
		t = g.leaf(id, "cache.(*Redis).Get", t, apiPid, 300*us, 0.6)
		t = g.call(id, "shop.(*Catalog).List", t, apiPid, func(id uint64, t int64) int64 {
			q := g.add(id, "store.(*DB).Query", t, g.lognormal(8*ms, 0.7), apiPid)
			if g.rng.IntN(200) == 0 {
				q.status, q.err = "error", "store: context deadline exceeded"
			}
			t = q.end()
			return g.leaf(id, "shop.applyDiscounts", t, apiPid, 400*us, 0.5)
		}).end()
		return g.leaf(id, "render.JSON", t, apiPid, 900*us, 0.6)
	})
}

func (g *gen) getProduct(t int64) {
	g.call(0, "api.(*Server).GetProduct", t, apiPid, func(id uint64, t int64) int64 {
		t = g.auth(id, t)
		t = g.leaf(id, "cache.(*Redis).Get", t, apiPid, 250*us, 0.5)
		if g.rng.IntN(4) == 0 { // cache miss
			t = g.leaf(id, "store.(*DB).QueryRow", t, apiPid, 3*ms, 0.6)
			t = g.leaf(id, "cache.(*Redis).Set", t, apiPid, 200*us, 0.5)
		}
		if g.rng.IntN(120) == 0 {
			p := g.add(id, "render.(*Template).Execute", t, 150*us, apiPid)
			p.status, p.err = "panic", "runtime error: invalid memory address or nil pointer dereference"
			return p.end()
		}
		return g.leaf(id, "render.(*Template).Execute", t, apiPid, 1200*us, 0.4)
	})
}

func (g *gen) checkout(t int64) {
	var failed bool
	root := g.call(0, "api.(*Server).Checkout", t, apiPid, func(id uint64, t int64) int64 {
		t = g.auth(id, t)
		end := g.call(id, "shop.(*Service).Checkout", t, apiPid, func(id uint64, t int64) int64 {
			t = g.leaf(id, "shop.(*Cart).Total", t, apiPid, 200*us, 0.4)
			// Prices of the cart's items, fetched concurrently.
			end := t
			for i := range 2 + g.rng.IntN(3) {
				end = max(end, g.leaf(id, "store.(*DB).GetPrice", t+int64(i)*30*us, apiPid, 4*ms, 0.6))
			}
			t = end
			if g.rng.IntN(30) == 0 {
				s := g.add(id, "store.(*DB).Reserve", t, g.lognormal(2*ms, 0.3), apiPid)
				s.status, s.err = "error", "out of stock: sku "+strconv.Itoa(g.rng.IntN(900)+100)
				failed = true
				return s.end()
			}
			t = g.leaf(id, "store.(*DB).Reserve", t, apiPid, 2*ms, 0.3)
			return g.call(id, "payment.(*Client).Charge", t, apiPid, func(cid uint64, t int64) int64 {
				return g.call(cid, "worker.(*Server).Charge", t+300*us, workerPid, func(id uint64, t int64) int64 {
					t = g.leaf(id, "worker.fraudScore", t, workerPid, 6*ms, 0.5)
					return g.call(id, "worker.(*Ledger).Record", t, workerPid, func(id uint64, t int64) int64 {
						return g.leaf(id, "store.(*Tx).Commit", t, workerPid, 3*ms, 0.5)
					}).end()
				}).end() + 300*us
			}).end()
		})
		return end.end()
	})
	if failed {
		for i := range g.spans {
			if s := &g.spans[i]; s.name == "shop.(*Service).Checkout" || s.id == root.id {
				s.status, s.err = "error", "checkout: out of stock"
			}
		}
		return
	}
	// The receipt is mailed by a goroutine that outlives the request.
	g.leaf(root.id, "shop.sendReceipt", root.end()-200*us, apiPid, 15*ms, 0.4)
}

// Write writes about o.Spans spans of traffic to w, each request's spans in
// the order they end (as the runtime writes them), then the two processes'
// records. It returns the number of spans written.
func Write(w io.Writer, o Options) (int, error) {
	g := &gen{rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))}
	bw := bufio.NewWriterSize(w, 1<<20)
	t := o.Start
	if t == 0 {
		t = 1763856000000000000
	}
	var buf []byte
	written, apiSpans, workerSpans := 0, 0, 0
	for written < o.Spans {
		g.spans = g.spans[:0]
		g.request(t)
		t += g.lognormal(2*ms, 1)
		slices.SortStableFunc(g.spans, func(a, b span) int {
			if a.end() != b.end() {
				if a.end() < b.end() {
					return -1
				}
				return 1
			}
			return 0
		})
		for i := range g.spans {
			s := &g.spans[i]
			if s.pid == apiPid {
				apiSpans++
			} else {
				workerSpans++
			}
			buf = appendSpan(buf[:0], s)
			if _, err := bw.Write(buf); err != nil {
				return written, err
			}
			written++
		}
	}
	tail := `{"process":{"pid":4312,"cmd":"shop-api","start_ns":` + strconv.FormatInt(o.Start, 10) + `,"spans":` + strconv.Itoa(apiSpans) + `,"dropped":0,"pending":[],"pending_count":0}}` + "\n" +
		`{"process":{"pid":4313,"cmd":"payment-worker","start_ns":` + strconv.FormatInt(o.Start, 10) + `,"spans":` + strconv.Itoa(workerSpans) + `,"dropped":0,"pending":[],"pending_count":0}}` + "\n"
	if _, err := bw.WriteString(tail); err != nil {
		return written, err
	}
	return written, bw.Flush()
}

const hexd = "0123456789abcdef"

func appendID(b []byte, id uint64) []byte {
	for i := 60; i >= 0; i -= 4 {
		b = append(b, hexd[id>>uint(i)&15])
	}
	return b
}

func appendSpan(b []byte, s *span) []byte {
	b = append(b, `{"trace_id":"`...)
	for _, c := range s.trace {
		b = append(b, hexd[c>>4], hexd[c&15])
	}
	b = append(b, `","span_id":"`...)
	b = appendID(b, s.id|1<<60)
	b = append(b, `","parent_id":"`...)
	if s.parent != 0 {
		b = appendID(b, s.parent|1<<60)
	}
	b = append(b, `","name":"`...)
	b = append(b, s.name...)
	b = append(b, `","start_ns":`...)
	b = strconv.AppendInt(b, s.start, 10)
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, s.dur, 10)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(s.pid), 10)
	b = append(b, `,"status":"`...)
	b = append(b, s.status...)
	b = append(b, '"')
	if s.err != "" {
		b = append(b, `,"error":`...)
		b = strconv.AppendQuote(b, s.err)
	}
	pkg := s.name[:indexByte(s.name, '.')]
	b = append(b, `,"attrs":{"code.function.name":"example.com/shop/`...)
	b = append(b, s.name...)
	b = append(b, `","code.file.path":"`...)
	b = append(b, pkg...)
	b = append(b, '/')
	b = append(b, pkg...)
	b = append(b, `.go","code.line.number":`...)
	b = strconv.AppendInt(b, int64(s.line), 10)
	return append(b, "}}\n"...)
}

func indexByte(s string, c byte) int {
	for i := range len(s) {
		if s[i] == c {
			return i
		}
	}
	return len(s)
}
