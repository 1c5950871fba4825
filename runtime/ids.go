package autotrace

import "encoding/binary"

// traceID is a W3C trace id: 16 bytes, here as two words.
type traceID struct{ hi, lo uint64 }

func (t traceID) isZero() bool { return t.hi == 0 && t.lo == 0 }

// bytes returns t in W3C byte order.
func (t traceID) bytes() (b [16]byte) {
	binary.BigEndian.PutUint64(b[:8], t.hi)
	binary.BigEndian.PutUint64(b[8:], t.lo)
	return b
}

// spanIDBytes returns the span id id in W3C byte order (zero stays zero).
func spanIDBytes(id uint64) (b [8]byte) {
	binary.BigEndian.PutUint64(b[:], id)
	return b
}

// newSpanID returns a random non-zero span id (63 random bits).
func newSpanID() uint64 {
	for {
		if id := uint64(cheaprand64()); id != 0 {
			return id
		}
	}
}

// newTraceID returns a random non-zero trace id (126 random bits).
func newTraceID() traceID {
	for {
		if t := (traceID{uint64(cheaprand64()), uint64(cheaprand64())}); !t.isZero() {
			return t
		}
	}
}

const hexDigits = "0123456789abcdef"

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
