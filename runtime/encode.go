package autotrace

import (
	"os"
	"strconv"
	"unicode/utf8"
)

// The trace is JSON Lines written by hand: appenders into one reused
// buffer, no reflection, no encoding/json on the export path. What is
// static per call site (name, function, file and line) is escaped once,
// when the site is first seen (site.go), so a span line is mostly hex ids,
// two integers and a few copies.

var pid = os.Getpid()

// pidField is the constant middle of every span line.
var pidField = `,"pid":` + strconv.Itoa(pid) + `,"status":"`

// appendSpan appends one span line (DESIGN §6).
func appendSpan(b []byte, s *Span, end int64, c *clockConv) []byte {
	j := &s.site.json
	b = append(b, `{"trace_id":"`...)
	b = appendHex64(b, s.trace.hi)
	b = appendHex64(b, s.trace.lo)
	b = append(b, `","span_id":"`...)
	b = appendHex64(b, s.id)
	b = append(b, `","parent_id":"`...)
	if s.parentID != 0 {
		b = appendHex64(b, s.parentID)
	}
	b = append(b, j.head...)
	b = strconv.AppendInt(b, c.wall(s.start), 10)
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, c.dur(end-s.start), 10)
	b = append(b, pidField...)
	b = append(b, statusName(s.status)...)
	b = append(b, '"')
	if s.state != "" {
		b = append(b, `,"tracestate":`...)
		b = appendString(b, s.state)
	}
	e := s.extra
	if e != nil && e.err != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, e.err)
	}
	b = append(b, j.attrs...)
	if e != nil {
		if s.status == statusPanic {
			b = appendAttr(b, "panic.value", e.panicVal)
			b = appendAttr(b, "panic.location", e.panicLoc)
			b = appendAttr(b, "panic.function", e.panicFn)
		}
		for _, a := range e.attrs {
			b = appendAttr(b, a.key, a.value)
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

// hexPairs holds the two lowercase hex digits of every byte value.
const hexPairs = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" +
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f" +
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f" +
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f" +
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" +
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" +
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf" +
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"

// appendHex64 appends v as 16 lowercase hex digits.
func appendHex64(b []byte, v uint64) []byte {
	var d [16]byte
	for i := 14; i >= 0; i -= 2 {
		p := (v & 0xff) * 2
		d[i], d[i+1] = hexPairs[p], hexPairs[p+1]
		v >>= 8
	}
	return append(b, d[:]...)
}

// jsonSafe marks the ASCII bytes that need no escaping in a JSON string.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD per bad byte (as
// encoding/json does).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

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
