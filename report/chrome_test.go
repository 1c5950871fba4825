package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
)

// chromeEvent is what the nesting check reads back.
type chromeEvent struct {
	Ph   string         `json:"ph"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	Ts   float64        `json:"ts"`
	Dur  float64        `json:"dur"`
	Name string         `json:"name"`
	Args map[string]any `json:"args"`
}

// checkNesting fails unless the X events of every (pid, tid) nest perfectly.
func checkNesting(t *testing.T, events []chromeEvent) {
	t.Helper()
	type track struct{ pid, tid int }
	byTrack := map[track][]chromeEvent{}
	for _, e := range events {
		if e.Ph == "X" {
			byTrack[track{e.Pid, e.Tid}] = append(byTrack[track{e.Pid, e.Tid}], e)
		}
	}
	for tr, evs := range byTrack {
		slices.SortStableFunc(evs, func(a, b chromeEvent) int {
			if a.Ts != b.Ts {
				if a.Ts < b.Ts {
					return -1
				}
				return 1
			}
			if a.Dur > b.Dur {
				return -1
			} else if a.Dur < b.Dur {
				return 1
			}
			return 0
		})
		var stack []chromeEvent
		for _, e := range evs {
			for len(stack) > 0 && stack[len(stack)-1].Ts+stack[len(stack)-1].Dur <= e.Ts {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 && e.Ts+e.Dur > stack[len(stack)-1].Ts+stack[len(stack)-1].Dur {
				t.Fatalf("track %v: %s [%v+%v] overlaps %s without nesting", tr, e.Name, e.Ts, e.Dur, stack[len(stack)-1].Name)
			}
			stack = append(stack, e)
		}
	}
}

func TestChromeValid(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "chrome", "../testdata/report/shop.jsonl", "../testdata/report/worker.jsonl"}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	var doc struct {
		TraceEvents []chromeEvent `json:"traceEvents"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	checkNesting(t, doc.TraceEvents)
	names := map[int]string{}
	spans := 0
	for _, e := range doc.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" {
			names[e.Pid] = e.Args["name"].(string)
		}
		if e.Ph == "X" {
			spans++
		}
	}
	if names[4312] != "shop-api" || names[4313] != "payment-worker" || spans != 26 {
		t.Errorf("process names %v, %d spans", names, spans)
	}
}

// TestLanes checks random concurrent span trees: every lane nests, and a
// lone child shares its parent's lane.
func TestLanes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := range 50 {
		var items []laneItem
		var id uint64
		var grow func(parent [8]byte, start, end int64, depth int)
		grow = func(parent [8]byte, start, end int64, depth int) {
			id++
			var me [8]byte
			me[0], me[1], me[2] = byte(id), byte(id>>8), byte(id>>16)
			items = append(items, laneItem{start: start, end: end, id: me, parent: parent})
			if depth == 0 || end-start < 4 {
				return
			}
			for range rng.IntN(4) {
				s := start + rng.Int64N(end-start)
				e := s + rng.Int64N(end-s+1)
				if rng.IntN(5) == 0 {
					e += rng.Int64N(50) // outlives the parent
				}
				grow(me, s, e, depth-1)
			}
		}
		for range 5 {
			s := rng.Int64N(1000)
			grow([8]byte{}, s, s+rng.Int64N(500), 4)
		}
		lanes, _, n := assignLanes(items)
		var events []chromeEvent
		for i, it := range items {
			if lanes[i] < 0 || lanes[i] >= n {
				t.Fatalf("lane %d of %d", lanes[i], n)
			}
			events = append(events, chromeEvent{Ph: "X", Tid: lanes[i], Ts: float64(it.start), Dur: float64(it.end - it.start), Name: "x"})
		}
		checkNesting(t, events)
		_ = round
	}
	// A chain of single children stays on one lane; concurrent siblings split.
	id := func(b byte) [8]byte { return [8]byte{b} }
	items := []laneItem{
		{0, 100, id(1), [8]byte{}},
		{10, 90, id(2), id(1)},
		{20, 50, id(3), id(2)},
		{30, 60, id(4), id(2)},
		{200, 300, id(5), [8]byte{}},
	}
	lanes, _, n := assignLanes(items)
	if want := []int{0, 0, 0, 1, 0}; !slices.Equal(lanes, want) || n != 2 {
		t.Errorf("lanes %v (%d), want %v (2)", lanes, n, want)
	}
}
