package autotrace

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// starters start a span the two ways that take a slot's kept record on
// their common path: StartHere, and Start under a context from Start.
var starters = []struct {
	name  string
	start func(ctx context.Context, name string) (context.Context, Span)
}{
	{"here", func(ctx context.Context, name string) (context.Context, Span) { return ctx, StartHere(name) }},
	{"ctx", Start},
}

// TestKeptRecordStaleHandle: a span's handle kept past End names the
// slot's record for its depth, which the next span at that depth reuses.
// End through the old handle (twice), and End and setters from another
// goroutine, old handle or new, must neither end the new span nor write
// into it; the new span is written once, with its own attributes and its
// parent.
func TestKeptRecordStaleHandle(t *testing.T) {
	for _, st := range starters {
		t.Run(st.name, func(t *testing.T) {
			out := record(t, Config{})
			ctx, root := Start(context.Background(), "kept.root")
			_, old := st.start(ctx, "kept.old")
			old.End()
			_, cur := st.start(ctx, "kept.cur")
			if cur.r.idx() != old.r.idx() || cur.r.idx() < keptFirst {
				t.Fatalf("records %d then %d: want the slot's kept record (from %d) reused", old.r.idx(), cur.r.idx(), keptFirst)
			}
			old.End()
			old.SetInt("stale", 1)
			old.End()
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				old.End()
				cur.SetInt("foreign", 1)
				cur.End()
			}()
			wg.Wait()
			if !cur.Recording() {
				t.Fatal("a stale or foreign End ended the span that reuses the record")
			}
			cur.SetInt("fresh", 2)
			cur.End()
			cur.End()
			root.End()
			Shutdown(context.Background())
			spans := mustSpans(t, out)
			got := byName(t, spans)
			c, r := got["kept.cur"], got["kept.root"]
			if len(spans) != 3 || c.SpanID == "" {
				t.Fatalf("spans %v: want kept.root, kept.old and kept.cur once each", spans)
			}
			if len(ownAttrs(c)) != 1 || c.Attrs["fresh"] != float64(2) || c.ParentID != r.SpanID || c.TraceID != r.TraceID {
				t.Errorf("kept.cur = %+v under %+v: want only fresh=2, a child of kept.root", c, r)
			}
			if o := got["kept.old"]; len(ownAttrs(o)) != 0 || o.ParentID != r.SpanID {
				t.Errorf("kept.old = %+v: want no attributes, a child of kept.root", o)
			}
		})
	}
}

// TestDeepRecursionFallsBack: spans nested deeper than a slot keeps
// records for take pool records, and every span is written, under the
// span one level up. depth is set on each span by construction, so the
// parent of the span at depth k must be the one at depth k-1.
func TestDeepRecursionFallsBack(t *testing.T) {
	const deep = maxDepth + glsDepth + 5 // past the depth a record saves, too
	for _, st := range starters {
		t.Run(st.name, func(t *testing.T) {
			out := record(t, Config{})
			var kept, pooled int
			var nest func(ctx context.Context, k int)
			nest = func(ctx context.Context, k int) {
				ctx, s := st.start(ctx, "deep.span")
				defer s.End()
				s.SetInt("depth", int64(k))
				if s.r.idx() >= keptFirst {
					kept++
				} else {
					pooled++
				}
				if k < deep {
					nest(ctx, k+1)
				}
			}
			nest(context.Background(), 0)
			if kept != glsDepth || pooled != deep+1-glsDepth {
				t.Errorf("%d spans in kept records, %d in pool ones: want %d and %d", kept, pooled, glsDepth, deep+1-glsDepth)
			}
			if j := gls.lookup(getg()); j >= 0 {
				t.Errorf("slot %d still held after the last span ended", j)
			}
			Shutdown(context.Background())
			byDepth := map[int64]line{}
			for _, s := range mustSpans(t, out) {
				d, _ := s.Attrs["depth"].(float64)
				byDepth[int64(d)] = s
			}
			if len(byDepth) != deep+1 {
				t.Fatalf("%d depths written, want %d", len(byDepth), deep+1)
			}
			for k := int64(1); k <= deep; k++ {
				if byDepth[k].ParentID != byDepth[k-1].SpanID || byDepth[k].TraceID != byDepth[0].TraceID {
					t.Errorf("span at depth %d has parent %s, want %s (depth %d)", k, byDepth[k].ParentID, byDepth[k-1].SpanID, k-1)
				}
			}
			if byDepth[0].ParentID != "" {
				t.Errorf("the outermost span has parent %s", byDepth[0].ParentID)
			}
		})
	}
}

// TestReleasedSlotClosesItsRecords: goroutines that nest spans and end
// them all leave their slots released, every kept record closed, nothing
// pending and the pool untouched (the slots' records are their own), and
// the handles of their spans stale for everyone after.
func TestReleasedSlotClosesItsRecords(t *testing.T) {
	record(t, Config{Writer: discardWriter{}})
	made := chunksMade()
	const goroutines, depth = 200, 6
	handles := make([][]Span, goroutines)
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var nest func(k int)
			nest = func(k int) {
				s := StartHere("released.span")
				defer s.End()
				handles[i] = append(handles[i], s)
				if k < depth {
					nest(k + 1)
				}
			}
			nest(1)
			if j := gls.lookup(getg()); j >= 0 {
				t.Errorf("slot %d still held after the goroutine's last span ended", j)
			}
		}()
	}
	wg.Wait()
	if now := chunksMade(); now != made {
		t.Errorf("the pool grew from %d to %d chunks: spans at depth < %d should take their slots' records", made, now, glsDepth)
	}
	if n, names := pendingSpans(); n != 0 {
		t.Errorf("%d spans pending (%v), want 0", n, names)
	}
	for i, hs := range handles {
		if len(hs) != depth {
			t.Fatalf("goroutine %d opened %d spans, want %d", i, len(hs), depth)
		}
		for _, s := range hs {
			if s.r.idx() < keptFirst || s.Recording() || s.String() != "ended" {
				t.Fatalf("span %v (record %d): want a kept record, its handle stale", s, s.r.idx())
			}
			if g := recAt(s.r.idx()).gen.Load(); g&1 != 0 {
				t.Fatalf("kept record %d still open", s.r.idx())
			}
		}
	}
}

// TestOpenRecordInReleasedSlotNotReused: spans ended out of order can
// release a goroutine's slot while a span below is still open in the
// slot's record for its depth. The next span at that depth must take a
// pool record, and the open span must end intact.
func TestOpenRecordInReleasedSlotNotReused(t *testing.T) {
	out := record(t, Config{})
	s0 := StartHere("order.s0")
	s0.SetInt("mine", 0)
	s1 := StartHere("order.s1")
	s2 := StartHere("order.s2")
	s1.End() // out of order: s2 is innermost
	s2.End() // s1 below has ended: the slot is released, s0 still open
	if j := gls.lookup(getg()); j >= 0 {
		t.Fatalf("slot %d kept; the case under test needs it released", j)
	}
	s3 := StartHere("order.s3")
	if s3.r.idx() == s0.r.idx() || s3.r.idx() >= keptFirst {
		t.Fatalf("s3 took record %d (s0's is %d): want a pool record", s3.r.idx(), s0.r.idx())
	}
	s3.SetInt("mine", 3)
	s3.End()
	if !s0.Recording() {
		t.Fatal("s0 no longer records")
	}
	s0.End()
	Shutdown(context.Background())
	got := byName(t, mustSpans(t, out))
	for name, want := range map[string]float64{"order.s0": 0, "order.s3": 3} {
		s, ok := got[name]
		if !ok || len(ownAttrs(s)) != 1 || s.Attrs["mine"] != want {
			t.Errorf("%s = %+v: want mine=%v alone", name, s, want)
		}
	}
	if got["order.s3"].ParentID != "" || got["order.s1"].ParentID != got["order.s0"].SpanID {
		t.Errorf("parents: s3 %q (want none: the slot was released), s1 %q (want s0 %q)", got["order.s3"].ParentID, got["order.s1"].ParentID, got["order.s0"].SpanID)
	}
}

func chunksMade() uint32 {
	recs.mu.Lock()
	defer recs.mu.Unlock()
	return recs.made
}

// ownAttrs returns the attributes of s that the program set: all but the
// code.* attributes of its site.
func ownAttrs(s line) map[string]any {
	own := map[string]any{}
	for k, v := range s.Attrs {
		if !strings.HasPrefix(k, "code.") {
			own[k] = v
		}
	}
	return own
}
