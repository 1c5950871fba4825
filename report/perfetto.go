package report

import (
	"encoding/binary"
	"encoding/hex"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// Field numbers and values of Perfetto's trace format, from its published
// .proto definitions (protos/perfetto/trace/…): the facts this encoder
// needs.
const (
	pfTracePacket = 1 // Trace.packet

	pfPacketClockSnapshot = 6  // TracePacket.clock_snapshot
	pfPacketTimestamp     = 8  // TracePacket.timestamp
	pfPacketSequenceID    = 10 // TracePacket.trusted_packet_sequence_id
	pfPacketTrackEvent    = 11 // TracePacket.track_event
	pfPacketInterned      = 12 // TracePacket.interned_data
	pfPacketSeqFlags      = 13 // TracePacket.sequence_flags
	pfPacketClockID       = 58 // TracePacket.timestamp_clock_id
	pfPacketDefaults      = 59 // TracePacket.trace_packet_defaults
	pfPacketTrackDesc     = 60 // TracePacket.track_descriptor

	pfSeqIncrementalStateCleared = 1 // TracePacket.SequenceFlags
	pfSeqNeedsIncrementalState   = 2

	pfDefaultsClockID    = 58 // TracePacketDefaults.timestamp_clock_id
	pfDefaultsTrackEvent = 11 // TracePacketDefaults.track_event_defaults
	pfEventDefaultsTrack = 11 // TrackEventDefaults.track_uuid

	pfSnapshotClocks      = 1  // ClockSnapshot.clocks
	pfSnapshotPrimary     = 2  // ClockSnapshot.primary_trace_clock
	pfClockID             = 1  // ClockSnapshot.Clock.clock_id
	pfClockTimestamp      = 2  // ClockSnapshot.Clock.timestamp
	pfClockIsIncremental  = 3  // ClockSnapshot.Clock.is_incremental
	pfClockBoottime       = 6  // BuiltinClock.BUILTIN_CLOCK_BOOTTIME
	pfClockLaneIncrements = 64 // the first sequence-scoped clock id

	pfTrackUUID    = 1 // TrackDescriptor.uuid
	pfTrackName    = 2 // TrackDescriptor.name
	pfTrackProcess = 3 // TrackDescriptor.process
	pfTrackParent  = 5 // TrackDescriptor.parent_uuid

	pfProcessPid  = 1 // ProcessDescriptor.pid
	pfProcessName = 6 // ProcessDescriptor.process_name

	pfEventAnnotations = 4  // TrackEvent.debug_annotations
	pfEventType        = 9  // TrackEvent.type
	pfEventNameIID     = 10 // TrackEvent.name_iid

	pfTypeSliceBegin = 1 // TrackEvent.Type
	pfTypeSliceEnd   = 2

	pfInternedEventNames      = 2  // InternedData.event_names
	pfInternedAnnotationNames = 3  // InternedData.debug_annotation_names
	pfInternedStrings         = 29 // InternedData.debug_annotation_string_values
	pfInternedIID             = 1  // EventName.iid, DebugAnnotationName.iid, InternedString.iid
	pfInternedName            = 2  // EventName.name, DebugAnnotationName.name, InternedString.str

	pfAnnotationNameIID   = 1  // DebugAnnotation.name_iid
	pfAnnotationString    = 6  // DebugAnnotation.string_value
	pfAnnotationPointer   = 7  // DebugAnnotation.pointer_value (shown in hex)
	pfAnnotationStringIID = 17 // DebugAnnotation.string_value_iid
)

// The keys (field number and wire type) of the fields every slice's
// packets have, appended as bytes: fields 1 to 15 take one byte,
// string_value_iid two.
const (
	pfKeyPacket     = pfTracePacket<<3 | 2
	pfKeyTimestamp  = pfPacketTimestamp << 3
	pfKeySequence   = pfPacketSequenceID << 3
	pfKeyFlags      = pfPacketSeqFlags << 3
	pfKeyTrackEvent = pfPacketTrackEvent<<3 | 2
	pfKeyType       = pfEventType << 3
	pfKeyNameIID    = pfEventNameIID << 3
	pfKeyAnnotation = pfEventAnnotations<<3 | 2
	pfKeyArgName    = pfAnnotationNameIID << 3
	pfKeyPointer    = pfAnnotationPointer << 3
	pfKeyStringIID0 = pfAnnotationStringIID<<3&0x7f | 0x80
	pfKeyStringIID1 = pfAnnotationStringIID << 3 >> 7
)

// The debug annotations a slice carries, by interned name id.
const (
	pfArgTraceID = 1 + iota
	pfArgSpanID
	pfArgStatus
	pfArgError
)

var pfArgNames = []string{pfArgTraceID: "trace_id", pfArgSpanID: "span_id", pfArgStatus: "status", pfArgError: "error"}

// perfettoDescriptors is the packet sequence of the track descriptors; each
// lane's events are a sequence of their own, numbered from 2.
const perfettoDescriptors = 1

// perfettoFlushAt is how many bytes of packets are kept before they are
// written: large writes, few system calls.
const perfettoFlushAt = 1 << 20

// perfettoSink writes the timeline as a Perfetto protobuf trace (TrackEvent
// slices), which ui.perfetto.dev loads at sizes where JSON imports fail,
// group by group as the layout completes them (see timeline). Each process
// is a process track; its spans are spread over child tracks (lanes) on
// which they nest perfectly, as slices on one track must, and each lane's
// begin and end events are in time order. A process track is described
// when first used and again at the end with the command from the process's
// record. Each slice carries its trace and span id, and its status and
// error when not ok.
//
// A lane's events are a packet sequence of their own, so that what repeats
// is said once per lane: its track (TrackEventDefaults), its event names
// and its current trace id (interned), and time: a sequence-scoped clock
// declared incremental in a ClockSnapshot, so that each packet's
// timestamp is the nanoseconds since the lane's previous event, which the
// layout's time order per lane keeps non-negative. The snapshot ties that
// clock to the boot clock at the lane's first event with the spans' own
// Unix nanoseconds, so the times read back are theirs.
type perfettoSink struct {
	w     io.Writer
	p     pbuf              // packets not written yet
	names map[string]uint64 // event name → iid, the same on every lane
	procs map[int32]*pfProcess
	uuid  uint64
	seqs  uint64 // sequence ids used
	open  []int  // scratch: a lane's open spans, outermost first
	hex   [32]byte
}

// pfProcess is a process's track and its lanes.
type pfProcess struct {
	track uint64
	lanes []*pfLane
}

// pfLane is a lane's track and the state of its packet sequence.
type pfLane struct {
	track    uint64
	seq      uint64   // 0 until the lane's first event
	clock    int64    // the sequence's incremental clock: its last timestamp
	named    []uint64 // bit per event name iid: interned on this sequence
	trace    [16]byte // the trace whose id string is interned as traceIID
	traceIID uint64   // 0 before the lane's first slice
}

func newPerfettoSink(w io.Writer) (*perfettoSink, error) {
	return &perfettoSink{w: w, p: pbuf{b: make([]byte, 0, perfettoFlushAt+64<<10)}, names: map[string]uint64{},
		procs: map[int32]*pfProcess{}, seqs: perfettoDescriptors}, nil
}

// done ends the packet opened at pk, and writes the packets kept once
// there are enough.
func (s *perfettoSink) done(pk int) error {
	s.p.close(pk)
	if len(s.p.b) < perfettoFlushAt {
		return nil
	}
	_, err := s.w.Write(s.p.b)
	s.p.b = s.p.b[:0]
	return err
}

// processTrack emits the process track descriptor of pid, named name.
func (s *perfettoSink) processTrack(pid int32, track uint64, name string) error {
	p := &s.p
	pk := p.open(pfTracePacket)
	p.varint(pfPacketSequenceID, perfettoDescriptors)
	td := p.open(pfPacketTrackDesc)
	p.varint(pfTrackUUID, track)
	pd := p.open(pfTrackProcess)
	p.varint(pfProcessPid, uint64(pid))
	p.string(pfProcessName, name)
	p.close(pd)
	p.close(td)
	return s.done(pk)
}

func (s *perfettoSink) lanes(pid int32, n int) error {
	pr := s.procs[pid]
	if pr == nil {
		s.uuid++
		pr = &pfProcess{track: s.uuid}
		s.procs[pid] = pr
		if err := s.processTrack(pid, pr.track, "pid "+strconv.Itoa(int(pid))); err != nil {
			return err
		}
	}
	p := &s.p
	for l := len(pr.lanes); l < n; l++ {
		s.uuid++
		pr.lanes = append(pr.lanes, &pfLane{track: s.uuid})
		pk := p.open(pfTracePacket)
		p.varint(pfPacketSequenceID, perfettoDescriptors)
		td := p.open(pfPacketTrackDesc)
		p.varint(pfTrackUUID, s.uuid)
		p.varint(pfTrackParent, pr.track)
		p.string(pfTrackName, "lane "+strconv.Itoa(l+1))
		p.close(td)
		if err := s.done(pk); err != nil {
			return err
		}
	}
	return nil
}

// startLane begins l's packet sequence before its first event, at ts: it
// clears the sequence's state, sets its defaults (the lane's track, its
// clock), interns the annotations' names and starts the clock at ts.
func (s *perfettoSink) startLane(l *pfLane, ts int64) {
	s.seqs++
	l.seq, l.clock = s.seqs, ts
	p := &s.p
	pk := p.open(pfTracePacket)
	p.varint(pfPacketSequenceID, l.seq)
	p.varint(pfPacketSeqFlags, pfSeqIncrementalStateCleared)
	d := p.open(pfPacketDefaults)
	p.varint(pfDefaultsClockID, pfClockLaneIncrements)
	te := p.open(pfDefaultsTrackEvent)
	p.varint(pfEventDefaultsTrack, l.track)
	p.close(te)
	p.close(d)
	in := p.open(pfPacketInterned)
	for iid := 1; iid < len(pfArgNames); iid++ {
		e := p.open(pfInternedAnnotationNames)
		p.varint(pfInternedIID, uint64(iid))
		p.string(pfInternedName, pfArgNames[iid])
		p.close(e)
	}
	p.close(in)
	p.close(pk)

	pk = p.open(pfTracePacket)
	p.varint(pfPacketSequenceID, l.seq)
	p.varint(pfPacketSeqFlags, pfSeqNeedsIncrementalState)
	cs := p.open(pfPacketClockSnapshot)
	c := p.open(pfSnapshotClocks)
	p.varint(pfClockID, pfClockBoottime)
	p.varint(pfClockTimestamp, uint64(ts))
	p.close(c)
	c = p.open(pfSnapshotClocks)
	p.varint(pfClockID, pfClockLaneIncrements)
	p.varint(pfClockTimestamp, uint64(ts))
	p.varint(pfClockIsIncremental, 1)
	p.close(c)
	p.varint(pfSnapshotPrimary, pfClockBoottime)
	p.close(cs)
	p.close(pk)
}

// packet opens the packet of an event of l at ts: its timestamp, sequence
// and flags.
func (s *perfettoSink) packet(l *pfLane, ts int64) int {
	b := append(s.p.b, pfKeyPacket, 0)
	at := len(b)
	b = append(b, pfKeyTimestamp)
	if ts >= l.clock {
		b = binary.AppendUvarint(b, uint64(ts-l.clock))
		l.clock = ts
	} else {
		// Before the lane's last event (the layout never writes one): an
		// absolute time on the boot clock, which leaves the lane's clock
		// where it was.
		b = binary.AppendUvarint(b, uint64(ts))
		s.p.b = b
		s.p.varint(pfPacketClockID, pfClockBoottime)
		b = s.p.b
	}
	b = append(b, pfKeySequence)
	b = binary.AppendUvarint(b, l.seq)
	s.p.b = append(b, pfKeyFlags, pfSeqNeedsIncrementalState)
	return at
}

func (s *perfettoSink) end(sp *cspan, l *pfLane) error {
	pk := s.packet(l, sp.start+sp.dur)
	s.p.b = append(s.p.b, pfKeyTrackEvent, 2, pfKeyType, pfTypeSliceEnd)
	return s.done(pk)
}

func (s *perfettoSink) begin(sp *cspan, l *pfLane) error {
	if l.seq == 0 {
		s.startLane(l, sp.start)
	}
	p := &s.p
	pk := s.packet(l, sp.start)
	iid, ok := s.names[sp.name]
	if !ok {
		iid = uint64(len(s.names)) + 1
		s.names[sp.name] = iid
	}
	w, bit := iid/64, uint64(1)<<(iid%64)
	for uint64(len(l.named)) <= w {
		l.named = append(l.named, 0)
	}
	newName := l.named[w]&bit == 0
	newTrace := l.traceIID == 0 || sp.trace != l.trace
	if newName || newTrace {
		in := p.open(pfPacketInterned)
		if newName {
			l.named[w] |= bit
			e := p.open(pfInternedEventNames)
			p.varint(pfInternedIID, iid)
			p.string(pfInternedName, sp.name)
			p.close(e)
		}
		if newTrace {
			l.trace = sp.trace
			l.traceIID++
			hex.Encode(s.hex[:], sp.trace[:])
			e := p.open(pfInternedStrings)
			p.varint(pfInternedIID, l.traceIID)
			p.bytes(pfInternedName, s.hex[:])
			p.close(e)
		}
		p.close(in)
	}
	// The annotations' lengths are below 128: one byte each.
	b := append(p.b, pfKeyTrackEvent, 0)
	ev := len(b)
	b = append(b, pfKeyType, pfTypeSliceBegin, pfKeyNameIID)
	b = binary.AppendUvarint(b, iid)
	b = append(b, pfKeyAnnotation, 0)
	a := len(b)
	b = append(b, pfKeyArgName, pfArgTraceID, pfKeyStringIID0, pfKeyStringIID1)
	b = binary.AppendUvarint(b, l.traceIID)
	b[a-1] = byte(len(b) - a)
	b = append(b, pfKeyAnnotation, 0)
	a = len(b)
	b = append(b, pfKeyArgName, pfArgSpanID, pfKeyPointer)
	b = binary.AppendUvarint(b, binary.BigEndian.Uint64(sp.id[:]))
	b[a-1] = byte(len(b) - a)
	p.b = b
	if int(sp.status) < len(statusNames) && sp.status != hotspot.StatusOK {
		a := p.open(pfEventAnnotations)
		p.varint(pfAnnotationNameIID, pfArgStatus)
		p.string(pfAnnotationString, statusNames[sp.status])
		p.close(a)
	}
	if sp.err != "" {
		a := p.open(pfEventAnnotations)
		p.varint(pfAnnotationNameIID, pfArgError)
		p.string(pfAnnotationString, sp.err)
		p.close(a)
	}
	p.close(ev)
	return s.done(pk)
}

func (s *perfettoSink) spans(pid int32, group []cspan, lanes, order []int) error {
	tracks := s.procs[pid].lanes
	// Lane by lane, in start order (outer first): a span's begin after the
	// ends of those it does not nest in.
	open := s.open[:0]
	defer func() { s.open = open[:0] }()
	closeAll := func(lane int) error {
		for j := len(open) - 1; j >= 0; j-- {
			if err := s.end(&group[open[j]], tracks[lane]); err != nil {
				return err
			}
		}
		open = open[:0]
		return nil
	}
	for k, i := range order {
		sp := &group[i]
		if k > 0 && lanes[order[k-1]] != lanes[i] {
			if err := closeAll(lanes[order[k-1]]); err != nil {
				return err
			}
		}
		l := tracks[lanes[i]]
		for len(open) > 0 {
			o := &group[open[len(open)-1]]
			if oe := o.start + o.dur; oe > sp.start || oe == sp.start && sp.dur == 0 && sp.parent == o.id {
				break // sp nests in o
			}
			if err := s.end(o, l); err != nil {
				return err
			}
			open = open[:len(open)-1]
		}
		if err := s.begin(sp, l); err != nil {
			return err
		}
		open = append(open, i)
	}
	if len(order) > 0 {
		return closeAll(lanes[order[len(order)-1]])
	}
	return nil
}

// finish describes each process track again with its command, in pid
// order, and writes what is left.
func (s *perfettoSink) finish(procs []hotspot.Process) error {
	pids := slices.Sorted(maps.Keys(s.procs))
	for _, pid := range pids {
		if err := s.processTrack(pid, s.procs[pid].track, processName(procs, int64(pid))); err != nil {
			return err
		}
	}
	_, err := s.w.Write(s.p.b)
	s.p.b = s.p.b[:0]
	return err
}
