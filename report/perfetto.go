package report

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// Field numbers of Perfetto's trace format, from its published .proto
// definitions (protos/perfetto/trace/…): the facts this encoder needs.
const (
	pfTracePacket = 1 // Trace.packet

	pfPacketTimestamp  = 8  // TracePacket.timestamp (ns, the boot clock by default)
	pfPacketTrackEvent = 11 // TracePacket.track_event
	pfPacketSequenceID = 10 // TracePacket.trusted_packet_sequence_id
	pfPacketInterned   = 12 // TracePacket.interned_data
	pfPacketSeqFlags   = 13 // TracePacket.sequence_flags
	pfPacketTrackDesc  = 60 // TracePacket.track_descriptor

	pfSeqIncrementalStateCleared = 1 // TracePacket.SequenceFlags
	pfSeqNeedsIncrementalState   = 2

	pfTrackUUID    = 1 // TrackDescriptor.uuid
	pfTrackName    = 2 // TrackDescriptor.name
	pfTrackProcess = 3 // TrackDescriptor.process
	pfTrackParent  = 5 // TrackDescriptor.parent_uuid

	pfProcessPid  = 1 // ProcessDescriptor.pid
	pfProcessName = 6 // ProcessDescriptor.process_name

	pfEventAnnotations = 4  // TrackEvent.debug_annotations
	pfEventType        = 9  // TrackEvent.type
	pfEventNameIID     = 10 // TrackEvent.name_iid
	pfEventTrackUUID   = 11 // TrackEvent.track_uuid

	pfTypeSliceBegin = 1 // TrackEvent.Type
	pfTypeSliceEnd   = 2

	pfInternedEventNames      = 2 // InternedData.event_names
	pfInternedAnnotationNames = 3 // InternedData.debug_annotation_names
	pfInternedIID             = 1 // EventName.iid, DebugAnnotationName.iid
	pfInternedName            = 2 // EventName.name, DebugAnnotationName.name

	pfAnnotationNameIID = 1 // DebugAnnotation.name_iid
	pfAnnotationPointer = 7 // DebugAnnotation.pointer_value (shown in hex)
	pfAnnotationString  = 6 // DebugAnnotation.string_value
)

// The debug annotations a slice carries, by interned name id.
const (
	pfArgTraceID = 1 + iota
	pfArgSpanID
	pfArgStatus
	pfArgError
)

var pfArgNames = []string{pfArgTraceID: "trace_id", pfArgSpanID: "span_id", pfArgStatus: "status", pfArgError: "error"}

// perfettoSequence is the one packet sequence the file is written as: the
// id that ties interned names to the packets using them.
const perfettoSequence = 1

// pbuf builds protocol buffer messages by appending fields to b.
type pbuf struct{ b []byte }

func (p *pbuf) tag(field, wire int) { p.b = binary.AppendUvarint(p.b, uint64(field)<<3|uint64(wire)) }
func (p *pbuf) varint(field int, v uint64) {
	p.tag(field, 0)
	p.b = binary.AppendUvarint(p.b, v)
}
func (p *pbuf) bytes(field int, v []byte) {
	p.tag(field, 2)
	p.b = binary.AppendUvarint(p.b, uint64(len(v)))
	p.b = append(p.b, v...)
}
func (p *pbuf) string(field int, v string) {
	p.tag(field, 2)
	p.b = binary.AppendUvarint(p.b, uint64(len(v)))
	p.b = append(p.b, v...)
}

// open starts a length-delimited field whose length is not known yet; close
// writes it. A length is reserved as 5 bytes, the longest varint of a
// uint32, and close moves the message back over what it did not need.
func (p *pbuf) open(field int) int {
	p.tag(field, 2)
	p.b = append(p.b, 0, 0, 0, 0, 0)
	return len(p.b)
}
func (p *pbuf) close(at int) {
	n := len(p.b) - at
	var v [binary.MaxVarintLen32]byte
	k := binary.PutUvarint(v[:], uint64(n))
	copy(p.b[at-5:], v[:k])
	copy(p.b[at-5+k:], p.b[at:])
	p.b = p.b[:at-5+k+n]
}

// perfettoSink writes the timeline as a Perfetto protobuf trace (TrackEvent
// slices), which ui.perfetto.dev loads at sizes where JSON imports fail,
// group by group as the layout completes them (see timeline). Each process
// is a process track; its spans are spread over child tracks (lanes) on
// which they nest perfectly, as slices on one track must, and each lane's
// begin and end events are in order. A process track is described when
// first used and again at the end with the command from the process's
// record. Names are interned. Each slice carries its trace and span id,
// and its status and error when not ok. Timestamps are the spans' own
// Unix nanoseconds.
type perfettoSink struct {
	bw     *bufio.Writer
	p, pkt pbuf
	names  map[string]uint64 // interned event names
	procs  map[int32]*pfProcess
	uuid   uint64
	order  []int // scratch: a group's spans in write order
	open   []int // scratch: a lane's open spans, outermost first
	hexBuf [32]byte
	hexOf  [16]byte // the trace id in hexBuf
	ev     pbuf     // scratch: a track event
}

// uvarintLen is the length of v as a varint.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// pfProcess is a process's track and its lanes' tracks.
type pfProcess struct {
	track uint64
	lanes []uint64
}

func newPerfettoSink(w io.Writer) (*perfettoSink, error) {
	s := &perfettoSink{bw: bufio.NewWriterSize(w, 256<<10), names: map[string]uint64{}, procs: map[int32]*pfProcess{}}
	// The first packet clears the sequence's state and interns the
	// annotations' names.
	pkt := &s.pkt
	pkt.varint(pfPacketSequenceID, perfettoSequence)
	pkt.varint(pfPacketSeqFlags, pfSeqIncrementalStateCleared)
	in := pkt.open(pfPacketInterned)
	for iid := 1; iid < len(pfArgNames); iid++ {
		e := pkt.open(pfInternedAnnotationNames)
		pkt.varint(pfInternedIID, uint64(iid))
		pkt.string(pfInternedName, pfArgNames[iid])
		pkt.close(e)
	}
	pkt.close(in)
	return s, s.emit()
}

func (s *perfettoSink) emit() error {
	s.p.bytes(pfTracePacket, s.pkt.b)
	s.pkt.b = s.pkt.b[:0]
	if len(s.p.b) < 64<<10 {
		return nil
	}
	_, err := s.bw.Write(s.p.b)
	s.p.b = s.p.b[:0]
	return err
}

// processTrack emits the process track descriptor of pid, named name.
func (s *perfettoSink) processTrack(pid int32, track uint64, name string) error {
	pkt := &s.pkt
	pkt.varint(pfPacketSequenceID, perfettoSequence)
	td := pkt.open(pfPacketTrackDesc)
	pkt.varint(pfTrackUUID, track)
	pd := pkt.open(pfTrackProcess)
	pkt.varint(pfProcessPid, uint64(pid))
	pkt.string(pfProcessName, name)
	pkt.close(pd)
	pkt.close(td)
	return s.emit()
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
	pkt := &s.pkt
	for l := len(pr.lanes); l < n; l++ {
		s.uuid++
		pr.lanes = append(pr.lanes, s.uuid)
		pkt.varint(pfPacketSequenceID, perfettoSequence)
		td := pkt.open(pfPacketTrackDesc)
		pkt.varint(pfTrackUUID, s.uuid)
		pkt.varint(pfTrackParent, pr.track)
		pkt.string(pfTrackName, "lane "+strconv.Itoa(l+1))
		pkt.close(td)
		if err := s.emit(); err != nil {
			return err
		}
	}
	return nil
}

func (s *perfettoSink) end(sp *cspan, track uint64) error {
	pkt := &s.pkt
	pkt.varint(pfPacketTimestamp, uint64(sp.start+sp.dur))
	pkt.varint(pfPacketSequenceID, perfettoSequence)
	pkt.varint(pfPacketSeqFlags, pfSeqNeedsIncrementalState)
	ev := &s.ev
	ev.b = ev.b[:0]
	ev.varint(pfEventType, pfTypeSliceEnd)
	ev.varint(pfEventTrackUUID, track)
	pkt.bytes(pfPacketTrackEvent, ev.b)
	return s.emit()
}

func (s *perfettoSink) spans(pid int32, group []cspan, lanes []int) error {
	tracks := s.procs[pid].lanes
	// Per lane, in start order (outer first): a span's begin after the
	// ends of those it does not nest in.
	order := s.order[:0]
	for i := range group {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := lanes[x] - lanes[y]; c != 0 {
			return c
		}
		if c := cmp64(group[x].start, group[y].start); c != 0 {
			return c
		}
		return cmp64(group[y].dur, group[x].dur)
	})
	s.order = order
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
	pkt := &s.pkt
	for k, i := range order {
		sp := &group[i]
		if k > 0 && lanes[order[k-1]] != lanes[i] {
			if err := closeAll(lanes[order[k-1]]); err != nil {
				return err
			}
		}
		for len(open) > 0 {
			o := &group[open[len(open)-1]]
			if oe := o.start + o.dur; oe > sp.start || oe == sp.start && sp.dur == 0 && sp.parent == o.id {
				break // sp nests in o
			}
			if err := s.end(o, tracks[lanes[i]]); err != nil {
				return err
			}
			open = open[:len(open)-1]
		}
		pkt.varint(pfPacketTimestamp, uint64(sp.start))
		pkt.varint(pfPacketSequenceID, perfettoSequence)
		pkt.varint(pfPacketSeqFlags, pfSeqNeedsIncrementalState)
		iid, ok := s.names[sp.name]
		if !ok {
			iid = uint64(len(s.names)) + 1
			s.names[sp.name] = iid
			in := pkt.open(pfPacketInterned)
			e := pkt.open(pfInternedEventNames)
			pkt.varint(pfInternedIID, iid)
			pkt.string(pfInternedName, sp.name)
			pkt.close(e)
			pkt.close(in)
		}
		// The event is built apart, its two annotations' lengths known
		// (a 32-digit hex string; a varint), so that only the packet's
		// length is left to the rare status and error.
		ev := &s.ev
		ev.b = ev.b[:0]
		ev.varint(pfEventType, pfTypeSliceBegin)
		ev.varint(pfEventTrackUUID, tracks[lanes[i]])
		ev.varint(pfEventNameIID, iid)
		ev.tag(pfEventAnnotations, 2)
		ev.b = append(ev.b, byte(2+2+len(s.hexBuf)))
		ev.varint(pfAnnotationNameIID, pfArgTraceID)
		if sp.trace != s.hexOf {
			s.hexOf = sp.trace
			hex.Encode(s.hexBuf[:], sp.trace[:])
		}
		ev.bytes(pfAnnotationString, s.hexBuf[:])
		id := binary.BigEndian.Uint64(sp.id[:])
		ev.tag(pfEventAnnotations, 2)
		ev.b = append(ev.b, byte(2+1+uvarintLen(id)))
		ev.varint(pfAnnotationNameIID, pfArgSpanID)
		ev.varint(pfAnnotationPointer, id)
		if int(sp.status) < len(statusNames) && sp.status != hotspot.StatusOK {
			a := ev.open(pfEventAnnotations)
			ev.varint(pfAnnotationNameIID, pfArgStatus)
			ev.string(pfAnnotationString, statusNames[sp.status])
			ev.close(a)
		}
		if sp.err != "" {
			a := ev.open(pfEventAnnotations)
			ev.varint(pfAnnotationNameIID, pfArgError)
			ev.string(pfAnnotationString, sp.err)
			ev.close(a)
		}
		pkt.bytes(pfPacketTrackEvent, ev.b)
		if err := s.emit(); err != nil {
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
// order, and flushes the file.
func (s *perfettoSink) finish(procs []hotspot.Process) error {
	pids := slices.Sorted(maps.Keys(s.procs))
	for _, pid := range pids {
		if err := s.processTrack(pid, s.procs[pid].track, processName(procs, int64(pid))); err != nil {
			return err
		}
	}
	if _, err := s.bw.Write(s.p.b); err != nil {
		return err
	}
	return s.bw.Flush()
}
