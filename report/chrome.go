package report

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// cspan is a span kept compactly for the chrome format.
type cspan struct {
	trace      [16]byte
	id, parent [8]byte
	start, dur int64
	name, err  uint32 // indexes into spanTable.names and .errs
	pid        int32
	status     uint8
}

// spanTable keeps every span of the input, compactly (about 80 bytes a span).
type spanTable struct {
	spans   []cspan
	names   []string
	nameIdx map[string]uint32
	errs    []string // errs[0] is ""
}

func newSpanTable() *spanTable {
	return &spanTable{nameIdx: make(map[string]uint32), errs: []string{""}}
}

// eachProcess calls f with the spans of each process in pid order (input
// order within a process), the lane of each (assignLanes), the number of
// lanes, and the process's name: its command from procs, else "pid N".
// The chrome and perfetto writers lay out their tracks by it.
func (t *spanTable) eachProcess(procs []hotspot.Process, f func(pid int64, name string, group []cspan, lanes []int, nlanes int) error) error {
	slices.SortStableFunc(t.spans, func(a, b cspan) int { return int(a.pid) - int(b.pid) })
	cmds := map[int]string{}
	for _, p := range procs {
		cmds[p.Pid] = p.Cmd
	}
	for lo := 0; lo < len(t.spans); {
		hi := lo
		for hi < len(t.spans) && t.spans[hi].pid == t.spans[lo].pid {
			hi++
		}
		group := t.spans[lo:hi]
		lo = hi
		pid := int64(group[0].pid)
		items := make([]laneItem, len(group))
		for i, s := range group {
			items[i] = laneItem{start: s.start, end: s.start + s.dur, id: s.id, parent: s.parent}
		}
		lanes, _, nlanes := assignLanes(items)
		name := cmds[int(pid)]
		if name == "" {
			name = "pid " + strconv.FormatInt(pid, 10)
		}
		if err := f(pid, name, group, lanes, nlanes); err != nil {
			return err
		}
	}
	return nil
}

func (t *spanTable) add(s *hotspot.Span, errMsg string) {
	n, ok := t.nameIdx[s.Name]
	if !ok {
		n = uint32(len(t.names))
		t.names = append(t.names, s.Name)
		t.nameIdx[s.Name] = n
	}
	c := cspan{trace: s.TraceID, id: s.SpanID, parent: s.ParentID, start: s.Start, dur: max(s.Dur, 0),
		name: n, pid: int32(s.Pid), status: s.Status}
	if errMsg != "" {
		c.err = uint32(len(t.errs))
		t.errs = append(t.errs, errMsg)
	}
	t.spans = append(t.spans, c)
}

// packageOf returns the package part of a span name: "shop" for
// "shop.(*Cart).Add", "net/http" for "net/http.HandlerFunc.ServeHTTP".
func packageOf(name string) string {
	slash := strings.LastIndexByte(name, '/')
	if i := strings.IndexByte(name[slash+1:], '.'); i >= 0 {
		return name[:slash+1+i]
	}
	return name
}

var statusNames = [...]string{"ok", "error", "panic"}

// writeChrome writes every span as Chrome trace event JSON (the Trace Event
// Format that ui.perfetto.dev and chrome://tracing open). Each process is a
// pid with a process_name; its spans are spread over lanes (tids) so that the
// events of every lane nest perfectly, which Perfetto requires.
// Timestamps are microseconds from the earliest span; otherData has the Unix
// time of that origin.
func writeChrome(w io.Writer, d *data) error {
	t := d.all
	bw := bufio.NewWriterSize(w, 256<<10)
	var origin int64
	if len(t.spans) > 0 {
		origin = d.res.Start
	}
	b := make([]byte, 0, 1024)
	b = append(b, `{"displayTimeUnit":"ms","otherData":{"generator":"autotrace report","origin_unix_ns":`...)
	b = strconv.AppendInt(b, origin, 10)
	b = append(b, `},"traceEvents":[`...)
	first := true
	sep := func() {
		if !first {
			b = append(b, ",\n"...)
		} else {
			b = append(b, '\n')
		}
		first = false
	}
	flush := func() error {
		_, err := bw.Write(b)
		b = b[:0]
		return err
	}

	err := t.eachProcess(d.res.Processes, func(pid int64, name string, group []cspan, lanes []int, nlanes int) error {
		sep()
		b = append(b, `{"ph":"M","pid":`...)
		b = strconv.AppendInt(b, pid, 10)
		b = append(b, `,"tid":0,"name":"process_name","args":{"name":`...)
		b = appendString(b, name)
		b = append(b, `}}`...)
		for l := range nlanes {
			sep()
			b = append(b, `{"ph":"M","pid":`...)
			b = strconv.AppendInt(b, pid, 10)
			b = append(b, `,"tid":`...)
			b = strconv.AppendInt(b, int64(l+1), 10)
			b = append(b, `,"name":"thread_name","args":{"name":"lane `...)
			b = strconv.AppendInt(b, int64(l+1), 10)
			b = append(b, `"}}`...)
			sep()
			b = append(b, `{"ph":"M","pid":`...)
			b = strconv.AppendInt(b, pid, 10)
			b = append(b, `,"tid":`...)
			b = strconv.AppendInt(b, int64(l+1), 10)
			b = append(b, `,"name":"thread_sort_index","args":{"sort_index":`...)
			b = strconv.AppendInt(b, int64(l), 10)
			b = append(b, `}}`...)
		}
		// Events in start order, parents first, for readers that care.
		order := make([]int, len(group))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(x, y int) int {
			if c := cmp64(group[x].start, group[y].start); c != 0 {
				return c
			}
			return cmp64(group[y].dur, group[x].dur)
		})
		for _, i := range order {
			s := &group[i]
			sep()
			b = append(b, `{"ph":"X","pid":`...)
			b = strconv.AppendInt(b, pid, 10)
			b = append(b, `,"tid":`...)
			b = strconv.AppendInt(b, int64(lanes[i]+1), 10)
			b = append(b, `,"ts":`...)
			b = appendMicros(b, s.start-origin)
			b = append(b, `,"dur":`...)
			b = appendMicros(b, s.dur)
			nm := t.names[s.name]
			b = append(b, `,"name":`...)
			b = appendString(b, nm)
			b = append(b, `,"cat":`...)
			b = appendString(b, packageOf(nm))
			b = append(b, `,"args":{"trace_id":"`...)
			b = appendHex(b, s.trace[:])
			b = append(b, `","span_id":"`...)
			b = appendHex(b, s.id[:])
			b = append(b, '"')
			if s.parent != [8]byte{} {
				b = append(b, `,"parent_id":"`...)
				b = appendHex(b, s.parent[:])
				b = append(b, '"')
			}
			if int(s.status) < len(statusNames) && s.status != hotspot.StatusOK {
				b = append(b, `,"status":"`...)
				b = append(b, statusNames[s.status]...)
				b = append(b, '"')
			}
			if s.err != 0 {
				b = append(b, `,"error":`...)
				b = appendString(b, t.errs[s.err])
			}
			b = append(b, `}}`...)
			if len(b) > 64<<10 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	b = append(b, "\n]}\n"...)
	if err := flush(); err != nil {
		return err
	}
	return bw.Flush()
}
