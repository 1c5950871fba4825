package autotrace

import (
	"os"
	"strconv"
	"unicode/utf8"
)

// The trace is JSON Lines written by hand: appenders into one reused
// buffer, no reflection, no encoding/json on the export path.

var pid = os.Getpid()

// appendSpan appends one span line (DESIGN §6).
func appendSpan(b []byte, s *Span, end int64, c *clockConv) []byte {
	b = append(b, `{"trace_id":"`...)
	b = appendHex64(b, s.trace.hi)
	b = appendHex64(b, s.trace.lo)
	b = append(b, `","span_id":"`...)
	b = appendHex64(b, s.id)
	b = append(b, `","parent_id":"`...)
	if s.parentID != 0 {
		b = appendHex64(b, s.parentID)
	}
	b = append(b, `","name":`...)
	b = appendString(b, s.name)
	b = append(b, `,"start_ns":`...)
	b = strconv.AppendInt(b, c.wall(s.start), 10)
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, c.dur(end-s.start), 10)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, `,"status":"`...)
	b = append(b, statusName(s.status)...)
	b = append(b, '"')
	e := s.extra
	if e != nil && e.err != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, e.err)
	}
	b = append(b, `,"attrs":{"code.function.name":`...)
	b = appendString(b, s.function)
	path, line := splitLocation(s.location)
	b = append(b, `,"code.file.path":`...)
	b = appendString(b, path)
	if line >= 0 {
		b = append(b, `,"code.line.number":`...)
		b = strconv.AppendInt(b, int64(line), 10)
	}
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

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
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
	return append(b, "}}\n"...)
}
