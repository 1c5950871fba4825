package report

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"io"
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

// writePerfetto writes every span as a Perfetto protobuf trace (TrackEvent
// slices), which ui.perfetto.dev loads at sizes where JSON imports fail.
// Each process is a process track; its spans are spread over child tracks
// (lanes) on which they nest perfectly, as slices on one track must, and
// each lane's begin and end events are in order. Names are interned. Each
// slice carries its trace and span id, and its status and error when not
// ok. Timestamps are the spans' own Unix nanoseconds.
func writePerfetto(w io.Writer, d *data) error {
	t := d.all
	bw := bufio.NewWriterSize(w, 256<<10)
	var p, pkt pbuf
	emit := func() error {
		p.bytes(pfTracePacket, pkt.b)
		pkt.b = pkt.b[:0]
		if len(p.b) < 64<<10 {
			return nil
		}
		_, err := bw.Write(p.b)
		p.b = p.b[:0]
		return err
	}

	// The first packet clears the sequence's state and interns the
	// annotations' names.
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
	if err := emit(); err != nil {
		return err
	}

	interned := make([]bool, len(t.names))
	var uuid uint64
	var hexBuf [32]byte
	err := t.eachProcess(d.res.Processes, func(pid int64, name string, group []cspan, lanes []int, nlanes int) error {
		uuid++
		procTrack := uuid
		pkt.varint(pfPacketSequenceID, perfettoSequence)
		td := pkt.open(pfPacketTrackDesc)
		pkt.varint(pfTrackUUID, procTrack)
		pd := pkt.open(pfTrackProcess)
		pkt.varint(pfProcessPid, uint64(pid))
		pkt.string(pfProcessName, name)
		pkt.close(pd)
		pkt.close(td)
		if err := emit(); err != nil {
			return err
		}
		laneTrack := uuid + 1
		for l := range nlanes {
			pkt.varint(pfPacketSequenceID, perfettoSequence)
			td := pkt.open(pfPacketTrackDesc)
			pkt.varint(pfTrackUUID, laneTrack+uint64(l))
			pkt.varint(pfTrackParent, procTrack)
			pkt.string(pfTrackName, "lane "+strconv.Itoa(l+1))
			pkt.close(td)
			if err := emit(); err != nil {
				return err
			}
		}
		uuid += uint64(nlanes)

		// Per lane, in start order (outer first): a span's begin after
		// the ends of those it does not nest in.
		order := make([]int, len(group))
		for i := range order {
			order[i] = i
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
		var open []int // the lane's open spans, outermost first
		end := func(s *cspan, lane int) error {
			pkt.varint(pfPacketTimestamp, uint64(s.start+s.dur))
			pkt.varint(pfPacketSequenceID, perfettoSequence)
			pkt.varint(pfPacketSeqFlags, pfSeqNeedsIncrementalState)
			ev := pkt.open(pfPacketTrackEvent)
			pkt.varint(pfEventType, pfTypeSliceEnd)
			pkt.varint(pfEventTrackUUID, laneTrack+uint64(lane))
			pkt.close(ev)
			return emit()
		}
		for k, i := range order {
			s := &group[i]
			if k > 0 && lanes[order[k-1]] != lanes[i] {
				for j := len(open) - 1; j >= 0; j-- {
					if err := end(&group[open[j]], lanes[order[k-1]]); err != nil {
						return err
					}
				}
				open = open[:0]
			}
			for len(open) > 0 {
				o := &group[open[len(open)-1]]
				if oe := o.start + o.dur; oe > s.start || oe == s.start && s.dur == 0 && s.parent == o.id {
					break // s nests in o
				}
				if err := end(o, lanes[i]); err != nil {
					return err
				}
				open = open[:len(open)-1]
			}
			pkt.varint(pfPacketTimestamp, uint64(s.start))
			pkt.varint(pfPacketSequenceID, perfettoSequence)
			pkt.varint(pfPacketSeqFlags, pfSeqNeedsIncrementalState)
			if !interned[s.name] {
				interned[s.name] = true
				in := pkt.open(pfPacketInterned)
				e := pkt.open(pfInternedEventNames)
				pkt.varint(pfInternedIID, uint64(s.name)+1)
				pkt.string(pfInternedName, t.names[s.name])
				pkt.close(e)
				pkt.close(in)
			}
			ev := pkt.open(pfPacketTrackEvent)
			pkt.varint(pfEventType, pfTypeSliceBegin)
			pkt.varint(pfEventTrackUUID, laneTrack+uint64(lanes[i]))
			pkt.varint(pfEventNameIID, uint64(s.name)+1)
			a := pkt.open(pfEventAnnotations)
			pkt.varint(pfAnnotationNameIID, pfArgTraceID)
			hex.Encode(hexBuf[:], s.trace[:])
			pkt.bytes(pfAnnotationString, hexBuf[:])
			pkt.close(a)
			a = pkt.open(pfEventAnnotations)
			pkt.varint(pfAnnotationNameIID, pfArgSpanID)
			pkt.varint(pfAnnotationPointer, binary.BigEndian.Uint64(s.id[:]))
			pkt.close(a)
			if int(s.status) < len(statusNames) && s.status != hotspot.StatusOK {
				a = pkt.open(pfEventAnnotations)
				pkt.varint(pfAnnotationNameIID, pfArgStatus)
				pkt.string(pfAnnotationString, statusNames[s.status])
				pkt.close(a)
			}
			if s.err != 0 {
				a = pkt.open(pfEventAnnotations)
				pkt.varint(pfAnnotationNameIID, pfArgError)
				pkt.string(pfAnnotationString, t.errs[s.err])
				pkt.close(a)
			}
			pkt.close(ev)
			if err := emit(); err != nil {
				return err
			}
			open = append(open, i)
		}
		if len(order) > 0 {
			for j := len(open) - 1; j >= 0; j-- {
				if err := end(&group[open[j]], lanes[order[len(order)-1]]); err != nil {
					return err
				}
			}
			open = open[:0]
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := bw.Write(p.b); err != nil {
		return err
	}
	return bw.Flush()
}
