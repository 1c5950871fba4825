package report

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pbField is one field of a protocol buffer message as read back.
type pbField struct {
	num   int
	wire  int
	v     uint64 // varint and fixed values
	bytes []byte // length-delimited values
}

// pbDecode splits msg into its fields, failing on anything malformed.
func pbDecode(t *testing.T, msg []byte) []pbField {
	t.Helper()
	var out []pbField
	for len(msg) > 0 {
		key, n := binary.Uvarint(msg)
		if n <= 0 {
			t.Fatalf("bad field key in % x", msg)
		}
		msg = msg[n:]
		f := pbField{num: int(key >> 3), wire: int(key & 7)}
		switch f.wire {
		case 0:
			f.v, n = binary.Uvarint(msg)
			if n <= 0 {
				t.Fatalf("field %d: bad varint", f.num)
			}
			msg = msg[n:]
		case 1:
			f.v, msg = binary.LittleEndian.Uint64(msg), msg[8:]
		case 2:
			l, n := binary.Uvarint(msg)
			if n <= 0 || uint64(len(msg)-n) < l {
				t.Fatalf("field %d: bad length", f.num)
			}
			f.bytes, msg = msg[n:n+int(l)], msg[n+int(l):]
		default:
			t.Fatalf("field %d: wire type %d", f.num, f.wire)
		}
		out = append(out, f)
	}
	return out
}

// pfSlice is a span as the Perfetto file shows it.
type pfSlice struct {
	name, trace  string
	span         uint64
	pid          int
	start, dur   int64
	status, errs string
}

// TestPerfettoEverySpan writes random concurrent span trees of several
// processes (overlapping siblings, children that outlive their parent,
// zero-length spans, errors) as a trace file, has report write it as a
// Perfetto trace and reads that back field by field (decodePerfetto, with
// the field numbers of Perfetto's published protos and its trace
// processor's rules for sequences, interning and incremental clocks):
// every span is there once, with its name, trace id, span id, status,
// error, process, start and duration, on a track of its process whose
// slices nest.
func TestPerfettoEverySpan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	want := map[uint64]pfSlice{}
	var lines []string
	var id uint64
	const base = 1_763_856_000_000_000_000
	var grow func(trace string, parent uint64, pid int, start, end int64, depth int)
	grow = func(trace string, parent uint64, pid int, start, end int64, depth int) {
		id++
		s := pfSlice{name: fmt.Sprintf("pkg.f%d", rng.IntN(7)), trace: trace, span: id, pid: pid, start: start, dur: end - start}
		status := "ok"
		if rng.IntN(9) == 0 {
			status, s.status, s.errs = "error", "error", "boom"
		}
		want[id] = s
		line := fmt.Sprintf(`{"trace_id":%q,"span_id":"%016x","name":%q,"start_ns":%d,"dur_ns":%d,"pid":%d,"status":%q`,
			trace, id, s.name, s.start, s.dur, pid, status)
		if parent != 0 {
			line += fmt.Sprintf(`,"parent_id":"%016x"`, parent)
		}
		if s.errs != "" {
			line += `,"error":"boom"`
		}
		lines = append(lines, line+"}")
		me := id
		if depth == 0 || end-start < 4 {
			return
		}
		for range rng.IntN(4) {
			cs := start + rng.Int64N(end-start)
			ce := cs + rng.Int64N(end-cs+1)
			if rng.IntN(6) == 0 {
				ce += rng.Int64N(50) // outlives the parent
			}
			grow(trace, me, pid, cs, ce, depth-1)
		}
	}
	for i := range 40 {
		s := base + rng.Int64N(100_000)
		grow(fmt.Sprintf("%032x", i+1), 0, 100+i%3, s, s+rng.Int64N(5000), 4)
	}
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	path := filepath.Join(t.TempDir(), "trace.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The default cap, and one so small that most groups are laid out
	// before their trace is complete.
	for _, waiting := range []int{defaultMaxWaiting, 5} {
		setMaxWaiting(t, waiting)
		var out, errb bytes.Buffer
		if code := Command([]string{"-format", "perfetto", path}, &out, &errb); code != 0 {
			t.Fatal(errb.String())
		}
		got, _, pids := readPerfetto(t, out.Bytes())
		if !slices.Equal(pids, []int{100, 101, 102}) {
			t.Errorf("cap %d: process tracks of pids %v, want 100, 101, 102", waiting, pids)
		}
		if len(got) != len(want) {
			t.Errorf("cap %d: %d slices, want %d spans", waiting, len(got), len(want))
		}
		for id, w := range want {
			g, ok := got[id]
			if !ok {
				t.Errorf("cap %d: span %016x (%s) missing", waiting, id, w.name)
				continue
			}
			if g != w {
				t.Errorf("cap %d: span %016x: got %+v, want %+v", waiting, id, g, w)
			}
		}
	}
}

// setMaxWaiting sets the layout's cap on waiting spans for one test.
func setMaxWaiting(t *testing.T, n int) {
	old := maxWaiting
	maxWaiting = n
	t.Cleanup(func() { maxWaiting = old })
}

// pfEvent is a track event as Perfetto's trace processor resolves it: its
// time on the boot clock, its track and its interned names and strings
// looked up in its sequence's state.
type pfEvent struct {
	ts          int64
	typ, track  uint64
	name        string
	hasName     bool
	trace       string // the trace_id annotation
	status, err string
	spanID      uint64
}

// pfSequence is the state of one packet sequence (trusted_packet_sequence_id)
// as a reader keeps it: what SEQ_INCREMENTAL_STATE_CLEARED resets (interned
// data, TracePacketDefaults) and its sequence-scoped clocks, which a
// ClockSnapshot sets and a clear does not touch.
type pfSequence struct {
	valid       bool // a packet with SEQ_INCREMENTAL_STATE_CLEARED was seen
	hasDefaults bool // later packets must say SEQ_NEEDS_INCREMENTAL_STATE
	clockID     uint64
	track       uint64
	names       map[uint64]string // InternedData.event_names
	argNames    map[uint64]string // InternedData.debug_annotation_names
	strs        map[uint64]string // InternedData.debug_annotation_string_values
	clocks      map[uint64]*pfClock
}

// pfClock is a sequence-scoped clock: its value at its snapshot, the boot
// clock's then, and for an incremental one its running value.
type pfClock struct {
	incremental bool
	at, boot    int64
	value       int64
}

// decodePerfetto reads a Perfetto trace packet by packet with the field
// numbers of Perfetto's published protos (protos/perfetto/trace/
// trace.proto, trace_packet.proto, trace_packet_defaults.proto,
// clock_snapshot.proto, track_event/track_event.proto,
// track_event/track_descriptor.proto, track_event/process_descriptor.proto,
// track_event/debug_annotation.proto, interned_data/interned_data.proto,
// profiling/profile_common.proto) written out here rather than taken from
// the encoder. It resolves timestamps (incremental sequence-scoped clocks
// through their ClockSnapshot to the boot clock), default tracks and
// interned names and strings per sequence as the trace processor does,
// failing where it would drop a packet or an annotation; it calls desc for
// each track descriptor (uuid, parent, name, pid or -1) and event for each
// track event.
func decodePerfetto(t *testing.T, file []byte, desc func(uuid, parent uint64, name string, pid int), event func(pfEvent)) {
	t.Helper()
	seqs := map[uint64]*pfSequence{}
	for _, top := range pbDecode(t, file) {
		if top.num != 1 || top.wire != 2 { // Trace.packet
			t.Fatalf("top-level field %d", top.num)
		}
		fields := pbDecode(t, top.bytes)
		var ts, seqID, flags, clockID uint64
		var hasTs bool
		var ev, td, snapshot, defaults, interned []byte
		for _, f := range fields {
			switch f.num {
			case 8: // TracePacket.timestamp
				ts, hasTs = f.v, true
			case 10: // trusted_packet_sequence_id
				seqID = f.v
			case 13: // sequence_flags
				flags = f.v
			case 58: // timestamp_clock_id
				clockID = f.v
			case 6: // clock_snapshot
				snapshot = f.bytes
			case 59: // trace_packet_defaults
				defaults = f.bytes
			case 12: // interned_data
				interned = f.bytes
			case 11: // track_event
				ev = f.bytes
			case 60: // track_descriptor
				td = f.bytes
			}
		}
		if seqID == 0 {
			t.Fatal("packet without a sequence id: interning needs one")
		}
		sq := seqs[seqID]
		if sq == nil {
			sq = &pfSequence{clocks: map[uint64]*pfClock{}}
			seqs[seqID] = sq
		}
		if flags&1 != 0 { // SEQ_INCREMENTAL_STATE_CLEARED
			*sq = pfSequence{valid: true, clocks: sq.clocks, names: map[uint64]string{},
				argNames: map[uint64]string{}, strs: map[uint64]string{}}
		} else if sq.hasDefaults && flags&2 == 0 { // SEQ_NEEDS_INCREMENTAL_STATE
			t.Fatalf("sequence %d: a packet after TracePacketDefaults without SEQ_NEEDS_INCREMENTAL_STATE", seqID)
		}
		if flags&2 != 0 && !sq.valid {
			t.Fatalf("sequence %d: a packet needs incremental state before it is cleared (dropped)", seqID)
		}
		if defaults != nil {
			sq.hasDefaults = true
			for _, f := range pbDecode(t, defaults) {
				switch f.num {
				case 58: // TracePacketDefaults.timestamp_clock_id
					sq.clockID = f.v
				case 11: // track_event_defaults
					for _, e := range pbDecode(t, f.bytes) {
						if e.num == 11 { // TrackEventDefaults.track_uuid
							sq.track = e.v
						}
					}
				}
			}
		}
		if interned != nil {
			if !sq.valid {
				t.Fatalf("sequence %d: interned data before the state is cleared (skipped)", seqID)
			}
			for _, in := range pbDecode(t, interned) {
				var iid uint64
				var name string
				for _, e := range pbDecode(t, in.bytes) {
					switch e.num {
					case 1: // iid
						iid = e.v
					case 2: // name, str
						name = string(e.bytes)
					}
				}
				switch in.num {
				case 2: // event_names
					sq.names[iid] = name
				case 3: // debug_annotation_names
					sq.argNames[iid] = name
				case 29: // debug_annotation_string_values
					sq.strs[iid] = name
				}
			}
		}
		if snapshot != nil {
			var boot int64
			hasBoot := false
			type clk struct {
				id, ts uint64
				incr   bool
			}
			var scoped []clk
			for _, f := range pbDecode(t, snapshot) {
				switch f.num {
				case 1: // clocks
					var c clk
					for _, e := range pbDecode(t, f.bytes) {
						switch e.num {
						case 1: // clock_id
							c.id = e.v
						case 2: // timestamp
							c.ts = e.v
						case 3: // is_incremental
							c.incr = e.v != 0
						case 4: // unit_multiplier_ns
							if e.v != 1 {
								t.Fatalf("clock %d in units of %d ns", c.id, e.v)
							}
						}
					}
					switch {
					case c.id == 6: // BUILTIN_CLOCK_BOOTTIME
						boot, hasBoot = int64(c.ts), true
					case c.id >= 64 && c.id < 128: // sequence-scoped
						scoped = append(scoped, c)
					default:
						t.Fatalf("snapshot of clock %d", c.id)
					}
				case 2: // primary_trace_clock
					if f.v != 6 {
						t.Fatalf("primary trace clock %d, not the boot clock", f.v)
					}
				}
			}
			if !hasBoot {
				t.Fatal("clock snapshot without the boot clock")
			}
			for _, c := range scoped {
				if old := sq.clocks[c.id]; old != nil && old.incremental != c.incr {
					t.Fatalf("sequence %d: clock %d snapshot changes is_incremental", seqID, c.id)
				}
				sq.clocks[c.id] = &pfClock{incremental: c.incr, at: int64(c.ts), boot: boot, value: int64(c.ts)}
			}
			continue // the trace processor reads nothing else of the packet
		}
		if td != nil {
			var uuid, parent uint64
			var name string
			pid := -1
			for _, f := range pbDecode(t, td) {
				switch f.num {
				case 1: // uuid
					uuid = f.v
				case 5: // parent_uuid
					parent = f.v
				case 2: // name
					name = string(f.bytes)
				case 3: // process
					for _, p := range pbDecode(t, f.bytes) {
						if p.num == 1 { // pid
							pid = int(p.v)
						}
					}
				}
			}
			desc(uuid, parent, name, pid)
		}
		if ev == nil {
			continue
		}
		if !hasTs {
			t.Fatal("track event without a timestamp")
		}
		if clockID == 0 {
			clockID = sq.clockID
		}
		var e pfEvent
		switch {
		case clockID == 0 || clockID == 6: // the boot clock, absolute
			e.ts = int64(ts)
		case clockID >= 64 && clockID < 128:
			c := sq.clocks[clockID]
			if c == nil {
				t.Fatalf("sequence %d: clock %d used before its snapshot", seqID, clockID)
			}
			v := int64(ts)
			if c.incremental {
				c.value += int64(ts)
				v = c.value
			}
			e.ts = v - c.at + c.boot
		default:
			t.Fatalf("timestamp on clock %d", clockID)
		}
		e.track = sq.track
		for _, f := range pbDecode(t, ev) {
			switch f.num {
			case 9: // type
				e.typ = f.v
			case 11: // track_uuid
				e.track = f.v
			case 10: // name_iid
				e.name, e.hasName = sq.names[f.v]
			case 4: // debug_annotations
				var arg, str string
				var ptr, strIID uint64
				for _, a := range pbDecode(t, f.bytes) {
					switch a.num {
					case 1: // name_iid
						arg = sq.argNames[a.v]
					case 6: // string_value
						str = string(a.bytes)
					case 17: // string_value_iid
						strIID = a.v
					case 7: // pointer_value
						ptr = a.v
					}
				}
				if strIID != 0 {
					s, ok := sq.strs[strIID]
					if !ok {
						t.Fatalf("sequence %d: string iid %d not interned", seqID, strIID)
					}
					str = s
				}
				switch arg {
				case "trace_id":
					e.trace = str
				case "span_id":
					e.spanID = ptr
				case "status":
					e.status = str
				case "error":
					e.err = str
				default:
					t.Fatalf("annotation with an uninterned name")
				}
			}
		}
		event(e)
	}
}

// readPerfetto decodes a Perfetto trace into its slices by span id,
// checking that every track event is on a lane of a process track, that
// names are interned before use, and that each lane's events are in time
// order and its slices nest.
func readPerfetto(t *testing.T, file []byte) (spans map[uint64]pfSlice, lanes map[uint64]string, pids []int) {
	t.Helper()
	laneName := map[uint64]string{} // lane track uuid → its name
	lanes = map[uint64]string{}     // span id → its lane's name
	procOf := map[uint64]int{}      // process track uuid → pid
	laneProc := map[uint64]int{}    // lane track uuid → pid
	open := map[uint64][]pfSlice{}  // per lane, its open slices
	lastTs := map[uint64]int64{}    // per lane, its last event's time
	out := map[uint64]pfSlice{}
	desc := func(uuid, parent uint64, name string, pid int) {
		switch {
		case pid >= 0:
			procOf[uuid] = pid
		case parent != 0:
			p, ok := procOf[parent]
			if !ok {
				t.Fatalf("lane %d's parent %d is not a process track", uuid, parent)
			}
			laneProc[uuid] = p
			laneName[uuid] = name
		}
	}
	event := func(e pfEvent) {
		pid, ok := laneProc[e.track]
		if !ok {
			t.Fatalf("event on track %d, not a lane", e.track)
		}
		if e.ts < lastTs[e.track] {
			t.Fatalf("lane %d: event at %d after one at %d", e.track, e.ts, lastTs[e.track])
		}
		lastTs[e.track] = e.ts
		switch e.typ {
		case 1: // TYPE_SLICE_BEGIN
			if !e.hasName {
				t.Fatal("name iid used before it is interned")
			}
			open[e.track] = append(open[e.track], pfSlice{name: e.name, trace: e.trace, span: e.spanID, pid: pid,
				start: e.ts, status: e.status, errs: e.err})
		case 2: // TYPE_SLICE_END
			st := open[e.track]
			if len(st) == 0 {
				t.Fatalf("lane %d: end without a begin", e.track)
			}
			b := st[len(st)-1]
			open[e.track] = st[:len(st)-1]
			b.dur = e.ts - b.start
			if _, dup := out[b.span]; dup {
				t.Fatalf("span %016x twice", b.span)
			}
			out[b.span] = b
			lanes[b.span] = laneName[e.track]
		default:
			t.Fatalf("event type %d", e.typ)
		}
	}
	decodePerfetto(t, file, desc, event)
	for track, st := range open {
		if len(st) > 0 {
			t.Errorf("lane %d: %d slices never end", track, len(st))
		}
	}
	for _, p := range procOf {
		if !slices.Contains(pids, p) {
			pids = append(pids, p)
		}
	}
	slices.Sort(pids)
	return out, lanes, pids
}

// TestPerfettoFile decodes a Perfetto file written elsewhere, for checks at
// scale: AUTOTRACE_PERFETTO_FILE names it and AUTOTRACE_PERFETTO_SPANS the
// spans it must hold (counted from the trace apart from report, e.g. with
// `autotrace cat TRACE | grep -c span_id`). readPerfetto checks that each
// lane nests, in time order, and that no span is there twice.
func TestPerfettoFile(t *testing.T) {
	path := os.Getenv("AUTOTRACE_PERFETTO_FILE")
	if path == "" {
		t.Skip("AUTOTRACE_PERFETTO_FILE not set")
	}
	want, err := strconv.Atoi(os.Getenv("AUTOTRACE_PERFETTO_SPANS"))
	if err != nil {
		t.Fatalf("AUTOTRACE_PERFETTO_SPANS: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, lanes, pids := readPerfetto(t, b)
	n := map[string]bool{}
	for _, l := range lanes {
		n[l] = true
	}
	t.Logf("%s: %d slices on %d lane names, processes %v", path, len(got), len(n), pids)
	if len(got) != want {
		t.Errorf("%d slices, want %d spans", len(got), want)
	}
}

// TestPerfettoLaneClockBackwards writes a lane's groups out of time order,
// which the layout never does: a timestamp before the lane's clock must be
// written absolute, on the boot clock, and leave the lane's incremental
// clock where it was, so every event still reads back at its own time.
func TestPerfettoLaneClockBackwards(t *testing.T) {
	var out bytes.Buffer
	s, err := newPerfettoSink(&out)
	if err != nil {
		t.Fatal(err)
	}
	const base = 1_763_856_000_000_000_000
	groups := [][2]int64{{100, 200}, {50, 60}, {300, 310}} // start, end of one span each
	var want []int64
	if err := s.lanes(7, 1); err != nil {
		t.Fatal(err)
	}
	for i, g := range groups {
		sp := []cspan{{trace: [16]byte{byte(i + 1)}, id: [8]byte{byte(i + 1)}, start: base + g[0], dur: g[1] - g[0], name: "f"}}
		if err := s.spans(7, sp, []int{0}, []int{0}); err != nil {
			t.Fatal(err)
		}
		want = append(want, base+g[0], base+g[1])
	}
	if err := s.finish(nil); err != nil {
		t.Fatal(err)
	}
	var got []int64
	decodePerfetto(t, out.Bytes(), func(uint64, uint64, string, int) {}, func(e pfEvent) {
		got = append(got, e.ts)
		if e.typ == 1 && e.trace != fmt.Sprintf("%02x%030x", len(got)/2+1, 0) {
			t.Errorf("event %d: trace %s", len(got), e.trace)
		}
	})
	if !slices.Equal(got, want) {
		t.Errorf("times %v, want %v", got, want)
	}
}
