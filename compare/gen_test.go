package compare

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// childGen describes one kind of child span in generated traces: its
// durations are log-normal around median (in nanoseconds).
type childGen struct {
	name    string
	calls   int     // per trace
	median  float64 // nanoseconds
	sigma   float64 // spread of the log-normal
	quantum int64   // when > 0, durations are multiples of it (ties)
	every   int     // when > 1, only every every-th trace has it
}

// traceGen describes generated traces: a root span "app.handle" whose
// children run one after another, then the root's own time.
type traceGen struct {
	traces   int
	rootSelf float64 // median of the root's own time, nanoseconds
	children []childGen
}

// draw returns a log-normal duration around median.
func draw(rng *rand.Rand, median, sigma float64, quantum int64) int64 {
	d := int64(median * math.Exp(sigma*rng.NormFloat64()))
	if quantum > 0 {
		d = max(quantum, (d+quantum/2)/quantum*quantum)
	}
	return max(d, 1)
}

// spans generates the traces, children before their parent as they end.
// Trace and span IDs count up from firstTrace, so two sides generated with
// different firstTrace values never share IDs.
func (g traceGen) spans(rng *rand.Rand, firstTrace uint64) []hotspot.Span {
	var out []hotspot.Span
	start := int64(1_700_000_000_000_000_000)
	for t := range g.traces {
		var tid [16]byte
		binary.BigEndian.PutUint64(tid[8:], firstTrace+uint64(t))
		root := hotspot.Span{TraceID: tid, Name: "app.handle", Start: start, Pid: 1}
		binary.BigEndian.PutUint64(root.SpanID[:], 1)
		at := start
		next := uint64(2)
		for _, c := range g.children {
			if c.every > 1 && t%c.every != 0 {
				continue
			}
			for range c.calls {
				s := hotspot.Span{TraceID: tid, ParentID: root.SpanID, Name: c.name, Start: at, Pid: 1,
					Dur: draw(rng, c.median, c.sigma, c.quantum)}
				binary.BigEndian.PutUint64(s.SpanID[:], next)
				next++
				out = append(out, s)
				at += s.Dur
			}
		}
		root.Dur = at - start + draw(rng, g.rootSelf, 0.2, 0)
		out = append(out, root)
		start += root.Dur + 1000
	}
	return out
}

// sideOf aggregates spans into a Side, as Read does with a file's.
func sideOf(spans []hotspot.Span) *Side {
	agg := hotspot.New(hotspot.KeepSamples(true), hotspot.TopTraces(0))
	for _, s := range spans {
		agg.Add(s)
	}
	s := &Side{Files: []string{"generated"}}
	s.fill(agg.Result())
	return s
}

// writeJSONL writes spans as the runtime's JSON Lines.
func writeJSONL(path string, spans []hotspot.Span) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, s := range spans {
		parent := ""
		if !s.IsRoot() {
			parent = hex.EncodeToString(s.ParentID[:])
		}
		fmt.Fprintf(w, `{"trace_id":"%s","span_id":"%s","parent_id":"%s","name":"%s","start_ns":%d,"dur_ns":%d,"pid":%d,"status":"ok"}`+"\n",
			hex.EncodeToString(s.TraceID[:]), hex.EncodeToString(s.SpanID[:]), parent, s.Name, s.Start, s.Dur, s.Pid)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
