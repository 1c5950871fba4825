package tracefile

import (
	"encoding/hex"
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendSpanJSON appends the JSON Lines view of sp (DESIGN §6), byte for
// byte what the runtime's JSON writer writes for the same span
// (runtime/encode.go; a test compares them).
func AppendSpanJSON(b []byte, sp *Span) []byte {
	b = append(b, `{"trace_id":"`...)
	b = hex.AppendEncode(b, sp.TraceID[:])
	b = append(b, `","span_id":"`...)
	b = hex.AppendEncode(b, sp.SpanID[:])
	b = append(b, `","parent_id":"`...)
	if sp.ParentID != [8]byte{} {
		b = hex.AppendEncode(b, sp.ParentID[:])
	}
	b = append(b, `","name":`...)
	b = appendString(b, sp.Name)
	b = append(b, `,"start_ns":`...)
	b = strconv.AppendInt(b, sp.StartNs, 10)
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, sp.DurNs, 10)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(sp.Pid), 10)
	b = append(b, `,"status":"`...)
	b = append(b, statusName(sp.Status)...)
	b = append(b, '"')
	if sp.Tracestate != "" {
		b = append(b, `,"tracestate":`...)
		b = appendString(b, sp.Tracestate)
	}
	if sp.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, sp.Error)
	}
	b = append(b, `,"attrs":{"code.function.name":`...)
	b = appendString(b, sp.Function)
	b = append(b, `,"code.file.path":`...)
	b = appendString(b, sp.File)
	if sp.Line >= 0 {
		b = append(b, `,"code.line.number":`...)
		b = strconv.AppendInt(b, int64(sp.Line), 10)
	}
	if sp.HasPanic {
		b = appendStringAttr(b, "panic.value", sp.PanicValue)
		b = appendStringAttr(b, "panic.location", sp.PanicLocation)
		b = appendStringAttr(b, "panic.function", sp.PanicFunction)
	}
	for i := range sp.Attrs {
		b = appendAttr(b, &sp.Attrs[i])
	}
	return append(b, "}}\n"...)
}

func appendStringAttr(b []byte, k, v string) []byte {
	b = append(b, ',')
	b = appendString(b, k)
	b = append(b, ':')
	return appendString(b, v)
}

// appendAttr appends ,"key":value with the value as its kind says.
func appendAttr(b []byte, a *Attr) []byte {
	b = append(b, ',')
	b = appendString(b, a.Key)
	b = append(b, ':')
	switch a.Kind {
	case KindInt64:
		return strconv.AppendInt(b, a.Int, 10)
	case KindUint64:
		return strconv.AppendUint(b, a.Uint, 10)
	case KindBool:
		return strconv.AppendBool(b, a.Bool)
	case KindFloat64:
		if math.IsNaN(a.Float) || math.IsInf(a.Float, 0) {
			return appendString(b, strconv.FormatFloat(a.Float, 'g', -1, 64))
		}
		return strconv.AppendFloat(b, a.Float, 'g', -1, 64)
	}
	return appendString(b, a.Str)
}

func statusName(s uint8) string {
	switch s {
	case StatusError:
		return "error"
	case StatusPanic:
		return "panic"
	}
	return "ok"
}

// AppendCostJSON appends c as the line the runtime's JSON writer writes.
func AppendCostJSON(b []byte, c Cost) []byte {
	b = append(b, `{"cost":{"pid":`...)
	b = strconv.AppendInt(b, int64(c.Pid), 10)
	b = append(b, `,"inner_ns":`...)
	b = strconv.AppendInt(b, c.InnerNs, 10)
	b = append(b, `,"outer_ns":`...)
	b = strconv.AppendInt(b, c.OuterNs, 10)
	return append(b, "}}\n"...)
}

// AppendProcessJSON appends the JSON Lines view of a process record.
func AppendProcessJSON(b []byte, p *Process) []byte {
	b = append(b, `{"process":{"pid":`...)
	b = strconv.AppendInt(b, int64(p.Pid), 10)
	b = append(b, `,"cmd":`...)
	b = appendString(b, p.Cmd)
	b = append(b, `,"start_ns":`...)
	b = strconv.AppendInt(b, p.StartNs, 10)
	b = append(b, `,"spans":`...)
	b = strconv.AppendUint(b, p.Spans, 10)
	b = append(b, `,"dropped":`...)
	b = strconv.AppendUint(b, p.Dropped, 10)
	b = append(b, `,"pending":[`...)
	for i, n := range p.Pending {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, n)
	}
	b = append(b, `],"pending_count":`...)
	b = strconv.AppendUint(b, p.PendingCount, 10)
	if p.WriteErrors > 0 {
		b = append(b, `,"write_errors":`...)
		b = strconv.AppendUint(b, p.WriteErrors, 10)
	}
	if p.Untracked > 0 {
		b = append(b, `,"untracked":`...)
		b = strconv.AppendUint(b, p.Untracked, 10)
	}
	return append(b, "}}\n"...)
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes that need no escaping in a JSON string.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendString appends s as a JSON string exactly as the runtime does:
// quotes, backslashes and control characters escaped, invalid UTF-8
// replaced by U+FFFD per bad byte.
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
