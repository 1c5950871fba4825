package autotrace

import "strings"

// remote is a parent span in another process, from a W3C traceparent.
type remote struct {
	trace   traceID
	span    uint64
	sampled bool
}

// parseTraceparent parses a W3C traceparent value
// ("00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>"). Versions above
// 00 are accepted as the specification asks: their first four fields have
// the same layout, and more fields may follow.
func parseTraceparent(s string) (remote, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 55 || s[2] != '-' || s[35] != '-' || s[52] != '-' {
		return remote{}, false
	}
	ver, ok := parseHex8(s[0:2])
	if !ok || ver == 0xff || (ver == 0 && len(s) != 55) || (len(s) > 55 && s[55] != '-') {
		return remote{}, false
	}
	hi, ok1 := parseHex64(s[3:19])
	lo, ok2 := parseHex64(s[19:35])
	span, ok3 := parseHex64(s[36:52])
	flags, ok4 := parseHex8(s[53:55])
	r := remote{trace: traceID{hi, lo}, span: span, sampled: flags&1 != 0}
	if !ok1 || !ok2 || !ok3 || !ok4 || r.trace.isZero() || span == 0 {
		return remote{}, false
	}
	return r, true
}

// parseHex8 parses exactly two lowercase hex digits.
func parseHex8(s string) (uint8, bool) {
	hi, ok1 := hexVal(s[0])
	lo, ok2 := hexVal(s[1])
	return hi<<4 | lo, ok1 && ok2
}

// formatTraceparent returns the version-00 traceparent of a span.
func formatTraceparent(t traceID, span uint64, sampled bool) string {
	b := make([]byte, 0, 55)
	b = append(b, "00-"...)
	b = appendHex64(b, t.hi)
	b = appendHex64(b, t.lo)
	b = append(b, '-')
	b = appendHex64(b, span)
	if sampled {
		b = append(b, "-01"...)
	} else {
		b = append(b, "-00"...)
	}
	return string(b)
}
