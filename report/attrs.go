package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// attrFilter is what -by and -where ask of span attributes.
type attrFilter struct {
	by       []string // the -by KEYs
	pow2     []bool   // per -by KEY: bucket its numbers in powers of two
	whereKey string   // -where KEY=VALUE, or ""
	whereVal string

	// What the trace held, for saying which filter matched nothing.
	whereSeen bool   // a span has whereKey
	whereHits bool   // a span has whereKey=whereVal
	bySeen    []bool // per -by KEY: a span has it
}

// unmatched says which of the filters matched no span, one line each.
func (f *attrFilter) unmatched() []string {
	var out []string
	if f.whereKey != "" && !f.whereHits {
		if f.whereSeen {
			out = append(out, fmt.Sprintf("-where %s=%s matched no span (spans have %s, never with the value %q)", f.whereKey, f.whereVal, f.whereKey, f.whereVal))
		} else {
			out = append(out, fmt.Sprintf("-where %s=%s matched no span: no span has the attribute %s", f.whereKey, f.whereVal, f.whereKey))
		}
	}
	for i, key := range f.by {
		if i < len(f.bySeen) && !f.bySeen[i] {
			out = append(out, fmt.Sprintf("-by %s: no span has the attribute %s, so no row is broken down by it", key, key))
		}
	}
	return out
}

// defaultPow2 reports whether -by KEY buckets numbers without being told:
// for len(…) keys, whose exact values are rarely worth a row each.
func defaultPow2(key string) bool { return strings.HasPrefix(key, "len(") }

// attrText returns the value of key in the raw attrs object as text (a
// string unquoted, a number or bool as written), whether it is a number,
// and whether the key is there.
func attrText(raw []byte, key string) (text string, number, ok bool) {
	if len(raw) == 0 {
		return "", false, false
	}
	// Most spans lack the key: look before decoding (a key JSON escapes
	// may be written escaped: then decode).
	if !strings.ContainsAny(key, "\"\\<>&") && !bytes.Contains(raw, []byte(key)) {
		return "", false, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return "", false, false
	}
	v, ok := m[key]
	if !ok {
		return "", false, false
	}
	switch {
	case len(v) > 0 && v[0] == '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false, false
		}
		return s, false, true
	case len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9'):
		return string(v), true, true
	}
	return string(v), false, true
}

// matches reports whether the raw attrs have -where's KEY=VALUE.
func (f *attrFilter) matches(raw []byte) bool {
	v, _, ok := attrText(raw, f.whereKey)
	f.whereSeen = f.whereSeen || ok
	hit := ok && v == f.whereVal
	f.whereHits = f.whereHits || hit
	return hit
}

// groups returns the span's -by rows, one per KEY: its value, bucketed if
// asked; "" where it lacks the attribute.
func (f *attrFilter) groups(raw []byte) []string {
	out := make([]string, len(f.by))
	if len(f.bySeen) != len(f.by) {
		f.bySeen = make([]bool, len(f.by))
	}
	for i, key := range f.by {
		v, number, ok := attrText(raw, key)
		f.bySeen[i] = f.bySeen[i] || ok
		if ok && number && f.pow2[i] {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				v = pow2Bucket(x)
			}
		}
		out[i] = v
	}
	return out
}

// pow2Bucket names the power-of-two range x falls in: 0, 1, 2-3, 4-7,
// 8-15, …; a fraction below 1 is <1 and a negative number <0.
func pow2Bucket(x float64) string {
	switch {
	case x < 0:
		return "<0"
	case x == 0:
		return "0"
	case x < 1:
		return "<1"
	case x >= 1<<62:
		return "≥4611686018427387904"
	}
	n := uint64(x)
	lo := uint64(1) << (bits.Len64(n) - 1)
	if lo == 1 {
		return "1"
	}
	return strconv.FormatUint(lo, 10) + "-" + strconv.FormatUint(2*lo-1, 10)
}
