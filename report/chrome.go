package report

import (
	"bufio"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/autotrace/autotrace/internal/hotspot"
)

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

// chromeSink writes the timeline as Chrome trace event JSON (the Trace
// Event Format that ui.perfetto.dev and chrome://tracing open), group by
// group as the layout completes them (see timeline). Each process is a pid
// with a process_name; its spans are spread over lanes (tids) so that the
// events of every lane nest perfectly, which Perfetto requires.
// Timestamps are microseconds from an origin: the earliest start of the
// first group written (a span that starts before it has a negative ts);
// otherData, at the end, has the Unix time of that origin.
type chromeSink struct {
	bw       *bufio.Writer
	b        []byte
	first    bool
	origin   int64
	origined bool          // origin is set
	lanes0   map[int32]int // lanes named so far, per process
}

func newChromeSink(w io.Writer) *chromeSink {
	c := &chromeSink{bw: bufio.NewWriterSize(w, 256<<10), first: true, lanes0: map[int32]int{}}
	c.b = append(make([]byte, 0, 1<<17), `{"displayTimeUnit":"ms","traceEvents":[`...)
	return c
}

func (c *chromeSink) sep() {
	if !c.first {
		c.b = append(c.b, ",\n"...)
	} else {
		c.b = append(c.b, '\n')
	}
	c.first = false
}

func (c *chromeSink) flush(limit int) error {
	if len(c.b) < limit {
		return nil
	}
	_, err := c.bw.Write(c.b)
	c.b = c.b[:0]
	return err
}

func (c *chromeSink) lanes(pid int32, n int) error {
	for l := c.lanes0[pid]; l < n; l++ {
		c.sep()
		c.b = append(c.b, `{"ph":"M","pid":`...)
		c.b = strconv.AppendInt(c.b, int64(pid), 10)
		c.b = append(c.b, `,"tid":`...)
		c.b = strconv.AppendInt(c.b, int64(l+1), 10)
		c.b = append(c.b, `,"name":"thread_name","args":{"name":"lane `...)
		c.b = strconv.AppendInt(c.b, int64(l+1), 10)
		c.b = append(c.b, `"}}`...)
		c.sep()
		c.b = append(c.b, `{"ph":"M","pid":`...)
		c.b = strconv.AppendInt(c.b, int64(pid), 10)
		c.b = append(c.b, `,"tid":`...)
		c.b = strconv.AppendInt(c.b, int64(l+1), 10)
		c.b = append(c.b, `,"name":"thread_sort_index","args":{"sort_index":`...)
		c.b = strconv.AppendInt(c.b, int64(l), 10)
		c.b = append(c.b, `}}`...)
	}
	c.lanes0[pid] = n
	return c.flush(64 << 10)
}

func (c *chromeSink) spans(pid int32, group []cspan, lane, _ []int) error {
	if !c.origined && len(group) > 0 {
		c.origined = true
		c.origin = group[0].start
		for i := range group {
			c.origin = min(c.origin, group[i].start)
		}
	}
	b := c.b
	for i := range group {
		s := &group[i]
		if !c.first {
			b = append(b, ",\n"...)
		} else {
			b = append(b, '\n')
			c.first = false
		}
		b = append(b, `{"ph":"X","pid":`...)
		b = strconv.AppendInt(b, int64(pid), 10)
		b = append(b, `,"tid":`...)
		b = strconv.AppendInt(b, int64(lane[i]+1), 10)
		b = append(b, `,"ts":`...)
		b = appendMicros(b, s.start-c.origin)
		b = append(b, `,"dur":`...)
		b = appendMicros(b, s.dur)
		b = append(b, `,"name":`...)
		b = appendString(b, s.name)
		b = append(b, `,"cat":`...)
		b = appendString(b, packageOf(s.name))
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
		if s.err != "" {
			b = append(b, `,"error":`...)
			b = appendString(b, s.err)
		}
		b = append(b, `}}`...)
		if len(b) > 64<<10 {
			c.b = b
			if err := c.flush(0); err != nil {
				return err
			}
			b = c.b
		}
	}
	c.b = b
	return nil
}

// finish names the processes, in pid order, and closes the JSON.
func (c *chromeSink) finish(procs []hotspot.Process) error {
	pids := slices.Sorted(maps.Keys(c.lanes0))
	for _, pid := range pids {
		c.sep()
		c.b = append(c.b, `{"ph":"M","pid":`...)
		c.b = strconv.AppendInt(c.b, int64(pid), 10)
		c.b = append(c.b, `,"tid":0,"name":"process_name","args":{"name":`...)
		c.b = appendString(c.b, processName(procs, int64(pid)))
		c.b = append(c.b, `}}`...)
	}
	c.b = append(c.b, "\n],\"otherData\":{\"generator\":\"autotrace report\",\"origin_unix_ns\":"...)
	c.b = strconv.AppendInt(c.b, c.origin, 10)
	c.b = append(c.b, "}}\n"...)
	if err := c.flush(0); err != nil {
		return err
	}
	return c.bw.Flush()
}
