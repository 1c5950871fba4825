package autotrace

import "strings"

// remote is a parent span in another process, from a W3C traceparent and
// the tracestate that travels with it.
type remote struct {
	trace   traceID
	span    uint64
	sampled bool
	state   string // W3C tracestate, passed on as received (see cleanTracestate)
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

// Bounds the W3C Trace Context specification sets on tracestate: at most
// 32 list members, and a receiver must pass on at least 512 characters.
const (
	maxStateMembers = 32
	maxStateLen     = 512
)

// cleanTracestate returns the tracestate to pass on from the values of one
// or more tracestate headers (or the TRACESTATE variable): the members of
// all values in order, empty ones dropped, cut after 32 members or 512
// characters at a member boundary. autotrace adds no member of its own and
// does not otherwise interpret them: tracestate is for the vendors whose
// members they are, and must reach them intact.
func cleanTracestate(values ...string) string {
	var b []byte
	n := 0
	for _, v := range values {
		for v != "" {
			m := v
			if i := strings.IndexByte(v, ','); i >= 0 {
				m, v = v[:i], v[i+1:]
			} else {
				v = ""
			}
			m = strings.Trim(m, " \t")
			if m == "" {
				continue
			}
			sep := min(n, 1) // the comma before every member but the first
			if n == maxStateMembers || len(b)+sep+len(m) > maxStateLen {
				return string(b)
			}
			b = append(b, ","[:sep]...)
			b = append(b, m...)
			n++
		}
	}
	return string(b)
}
