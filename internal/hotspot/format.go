package hotspot

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FormatDuration formats d with three significant digits: 950ns, 45.6µs,
// 123ms, 1.24s.
func FormatDuration(d time.Duration) string {
	v := float64(d)
	neg := v < 0
	if neg {
		v = -v
	}
	var s string
	switch {
	case v < 1e3:
		s = strconv.FormatInt(int64(v), 10) + "ns"
	case v < 1e6:
		s = sig3(v/1e3) + "µs"
	case v < 1e9:
		s = sig3(v/1e6) + "ms"
	default:
		s = sig3(v/1e9) + "s"
	}
	if neg {
		s = "-" + s
	}
	return s
}

// sig3 formats v (>= 1) with three significant digits.
func sig3(v float64) string {
	switch {
	case v < 9.995:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 99.95:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// FormatCount formats n with thousands separators: 1,234,567.
func FormatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + FormatCount(-n)
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// plural returns "1 span" or "2 spans".
func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "s") {
		return FormatCount(n) + " " + word + "es"
	}
	return FormatCount(n) + " " + word + "s"
}

// ellipsize shortens s to at most n runes, eliding its middle.
func ellipsize(s string, n int) string {
	if utf8.RuneCountInString(s) <= n || n < 5 {
		return s
	}
	r := []rune(s)
	head := (n - 1) / 2
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// pad pads s with spaces to n runes, on the left when right is true.
func pad(s string, n int, right bool) string {
	k := n - utf8.RuneCountInString(s)
	if k <= 0 {
		return s
	}
	sp := make([]byte, k)
	for i := range sp {
		sp[i] = ' '
	}
	if right {
		return string(sp) + s
	}
	return s + string(sp)
}
