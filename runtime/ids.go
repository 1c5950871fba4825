package autotrace

import "math/rand/v2"

// traceID is a W3C trace id: 16 bytes, here as two words.
type traceID struct{ hi, lo uint64 }

func (t traceID) isZero() bool { return t.hi == 0 && t.lo == 0 }

// newSpanID returns a random non-zero span id. math/rand/v2's top-level
// source is the runtime's per-M ChaCha8 generator: no lock, no syscall.
func newSpanID() uint64 {
	for {
		if id := rand.Uint64(); id != 0 {
			return id
		}
	}
}

// newTraceID returns a random non-zero trace id.
func newTraceID() traceID {
	for {
		if t := (traceID{rand.Uint64(), rand.Uint64()}); !t.isZero() {
			return t
		}
	}
}

const hexDigits = "0123456789abcdef"

// appendHex64 appends v as 16 lowercase hex digits.
func appendHex64(b []byte, v uint64) []byte {
	var d [16]byte
	for i := 15; i >= 0; i-- {
		d[i] = hexDigits[v&0xf]
		v >>= 4
	}
	return append(b, d[:]...)
}

// parseHex64 parses exactly 16 lowercase hex digits.
func parseHex64(s string) (uint64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	var v uint64
	for i := 0; i < 16; i++ {
		d, ok := hexVal(s[i])
		if !ok {
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}

// hexVal is the value of a lowercase hex digit (W3C forbids upper case).
func hexVal(c byte) (uint8, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
