package jsontext

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

var samples = []string{
	"", "plain", `"quoted"`, `back\slash`, "new\nline\r\ttab", "\x00\x01\x1f\x7f",
	"é ü 日本 🎉", "bad \xff utf8 \xc3", "\xe2\x80\xa8 line sep", "</script>&",
	strings.Repeat("x", 1000),
}

// roundTrips checks that s encodes to valid JSON that decodes to what
// encoding/json makes of s (it too writes U+FFFD per bad byte).
func roundTrips(t *testing.T, s string) {
	t.Helper()
	b := AppendString(nil, s)
	var got string
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%q encodes to invalid JSON %s: %v", s, b, err)
	}
	ref, _ := json.Marshal(s)
	var want string
	json.Unmarshal(ref, &want)
	if got != want || !utf8.ValidString(got) {
		t.Errorf("%q round-trips to %q, want %q", s, got, want)
	}
}

func TestAppendStringRoundTrips(t *testing.T) {
	for _, s := range samples {
		roundTrips(t, s)
	}
}

func TestAppendStringAppends(t *testing.T) {
	if got := string(AppendString([]byte("x="), `a"b`)); got != `x="a\"b"` {
		t.Errorf("got %s", got)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(roundTrips)
}
