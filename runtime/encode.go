package autotrace

import (
	"encoding/binary"
	"os"
	"slices"
	"strconv"

	"github.com/autotrace/autotrace/internal/jsontext"
)

// The JSON Lines trace (Config.Format "jsonl"; binenc.go writes the
// default binary format) is written by hand: appenders into one reused
// buffer, no reflection, no encoding/json on the export path. What is
// static per call site (name, function, file and line) is escaped once,
// when the site is first seen (site.go), so a span line is mostly hex ids,
// two integers and a few copies.

var pid = os.Getpid()

// pidField is the constant middle of every span line.
var pidField = `,"pid":` + strconv.Itoa(pid) + `,"status":"`

// recSite returns the site of the buffered span r (s: its Span or nil).
func recSite(r *rec, s *spanExtra) *callSite {
	if r.site != 0 {
		return siteAt(r.site)
	}
	return s.site
}

// appendSpan appends one span line (DESIGN §6) for the buffered span r;
// s is its Span when r.hasSpan, else nil.
func appendSpan(b []byte, r *rec, s *spanExtra, c *clockConv) []byte {
	j := &recSite(r, s).json
	b = append(b, `{"trace_id":"`...)
	b = appendHex64(b, r.trace.hi)
	b = appendHex64(b, r.trace.lo)
	b = append(b, `","span_id":"`...)
	b = appendHex64(b, r.id)
	b = append(b, `","parent_id":"`...)
	if r.parentID != 0 {
		b = appendHex64(b, r.parentID)
	}
	b = append(b, j.head...)
	b = c.appendUnixNs(b, c.wall(r.start))
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, c.dur(r.end-r.start), 10)
	b = append(b, pidField...)
	b = append(b, statusName(r.status)...)
	b = append(b, '"')
	if s == nil {
		return append(append(b, j.attrs...), "}}\n"...)
	}
	if s.state != "" {
		b = append(b, `,"tracestate":`...)
		b = appendString(b, s.state)
	}
	e := s
	if e != nil && e.err != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, e.err)
	}
	b = append(b, j.attrs...)
	if e != nil {
		if r.status == statusPanic {
			b = appendAttr(b, "panic.value", e.panicVal)
			b = appendAttr(b, "panic.location", e.panicLoc)
			b = appendAttr(b, "panic.function", e.panicFn)
		}
		for _, a := range e.attrs {
			b = append(b, ',')
			b = appendString(b, a.Key)
			b = append(b, ':')
			b = a.Value.appendJSON(b)
		}
	}
	return append(b, "}}\n"...)
}

func appendAttr(b []byte, k, v string) []byte {
	b = append(b, ',')
	b = appendString(b, k)
	b = append(b, ':')
	return appendString(b, v)
}

func statusName(s uint8) string {
	switch s {
	case statusError:
		return "error"
	case statusPanic:
		return "panic"
	}
	return "ok"
}

// splitLocation splits "file:line" at its last colon; line is -1 when the
// location has no numeric line.
func splitLocation(loc string) (path string, line int) {
	for i := len(loc) - 1; i >= 0; i-- {
		if loc[i] == ':' {
			if n, err := strconv.Atoi(loc[i+1:]); err == nil && n >= 0 {
				return loc[:i], n
			}
			break
		}
	}
	return loc, -1
}

// appendUnixNs appends the Unix time v in nanoseconds as strconv.AppendInt
// would. Between 2001 and 2262 that is 19 digits: ten of seconds, which
// change once a second and are kept formatted in c, then nine of
// nanoseconds, formatted with 32-bit arithmetic.
func (c *clockConv) appendUnixNs(b []byte, v int64) []byte {
	if v < 1e18 {
		return strconv.AppendInt(b, v, 10)
	}
	sec, ns := uint64(v)/1e9, uint32(uint64(v)%1e9)
	if sec != c.sec {
		c.sec = sec
		strconv.AppendUint(c.secDigits[:0], sec, 10) // 10 digits: sec < 1e10
	}
	b = append(b, c.secDigits[:]...)
	return append9Digits(b, ns)
}

// append9Digits appends v < 1e9 as exactly nine decimal digits.
func append9Digits(b []byte, v uint32) []byte {
	n := len(b)
	b = slices.Grow(b, 9)[:n+9]
	d := b[n : n+9 : n+9]
	hi := v / 1e8
	v -= hi * 1e8
	d[0] = byte('0' + hi)
	x, y := v/1e4, v%1e4
	put2(d[1:3], x/100)
	put2(d[3:5], x%100)
	put2(d[5:7], y/100)
	put2(d[7:9], y%100)
	return b
}

// put2 writes v < 100 as two decimal digits.
func put2(d []byte, v uint32) {
	d[0], d[1] = decPairs[2*v], decPairs[2*v+1]
}

const decPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// appendHex64 appends v as 16 lowercase hex digits, eight at a time:
// hexDigits8 spreads 32 bits into one nibble per byte and turns all eight
// into ASCII at once, with no table and no loop.
func appendHex64(b []byte, v uint64) []byte {
	n := len(b)
	b = slices.Grow(b, 16)[:n+16] // stored into directly: a copy from a
	// just-written array stalls the load on the two stores
	binary.BigEndian.PutUint64(b[n:], hexDigits8(uint32(v>>32)))
	binary.BigEndian.PutUint64(b[n+8:], hexDigits8(uint32(v)))
	return b
}

// hexDigits8 returns the eight lowercase hex digits of x, the first in
// the most significant byte.
func hexDigits8(x uint32) uint64 {
	v := uint64(x)
	v = (v | v<<16) & 0x0000ffff0000ffff
	v = (v | v<<8) & 0x00ff00ff00ff00ff
	v = (v | v<<4) & 0x0f0f0f0f0f0f0f0f // nibble i of x in byte i
	// 0x01 in each byte whose nibble is 10 or more.
	letters := (v + 0x0606060606060606) >> 4 & 0x0101010101010101
	return v + 0x3030303030303030 + letters*('a'-'0'-10)
}

// appendString appends s as a JSON string (see jsontext).
func appendString(b []byte, s string) []byte { return jsontext.AppendString(b, s) }

func appendInt(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// processRecord is the last line a process writes, at Shutdown.
type processRecord struct {
	cmd          string
	startNs      int64
	spans        uint64
	dropped      uint64
	pending      []string
	pendingCount uint64
	writeErrors  uint64
	untracked    uint64 // spans that found the goroutine-local table full
}

func appendProcess(b []byte, p processRecord) []byte {
	b = append(b, `{"process":{"pid":`...)
	b = appendInt(b, int64(pid))
	b = append(b, `,"cmd":`...)
	b = appendString(b, p.cmd)
	b = append(b, `,"start_ns":`...)
	b = appendInt(b, p.startNs)
	b = append(b, `,"spans":`...)
	b = strconv.AppendUint(b, p.spans, 10)
	b = append(b, `,"dropped":`...)
	b = strconv.AppendUint(b, p.dropped, 10)
	b = append(b, `,"pending":[`...)
	for i, n := range p.pending {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, n)
	}
	b = append(b, `],"pending_count":`...)
	b = strconv.AppendUint(b, p.pendingCount, 10)
	if p.writeErrors > 0 {
		b = append(b, `,"write_errors":`...)
		b = strconv.AppendUint(b, p.writeErrors, 10)
	}
	if p.untracked > 0 {
		b = append(b, `,"untracked":`...)
		b = strconv.AppendUint(b, p.untracked, 10)
	}
	return append(b, "}}\n"...)
}
