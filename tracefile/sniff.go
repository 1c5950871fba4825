package tracefile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// NotTraceError is Sniff's answer for input that is not an autotrace trace.
type NotTraceError struct {
	Looks string // what the input looks like instead, e.g. "gzip-compressed data"
}

func (e *NotTraceError) Error() string { return "not an autotrace trace (" + e.Looks + ")" }

// sniffLen is how much of the input Sniff looks at: enough for several
// JSON lines, and for the longest line the runtime writes (a span with
// every attribute at its maximum length is about 20 KB).
const sniffLen = 64 << 10

// Sniff tells whether br starts an autotrace trace, looking at its first
// bytes without consuming them: a binary chunk header, or JSON Lines whose
// first record is a span or a process record. Anything else is a
// *NotTraceError that says what the input looks like (empty, compressed,
// JSON of another kind, text, binary data); an error reading br is
// returned as it is. Readers call it before reading, so that garbage is an
// error and not a run of malformed lines ending in "no spans".
func Sniff(br *bufio.Reader) error {
	head, err := br.Peek(min(sniffLen, br.Size()))
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return err
	}
	if IsBinary(head) {
		return nil
	}
	if looks := notTrace(head); looks != "" {
		return &NotTraceError{Looks: looks}
	}
	return nil
}

// notTrace says what head, the start of an input that is not binary,
// looks like, or "" when it starts JSON Lines records of a trace.
func notTrace(head []byte) string {
	if len(head) == 0 {
		return "empty"
	}
	for _, m := range compressed {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			return m.what + "; decompress it first"
		}
	}
	// Any record among the lines in the window will do: a trace may
	// start with lines a reader counts as malformed.
	first := "" // what the first non-blank line is, when not a record
	for rest := head; len(rest) > 0; {
		line, next, complete := bytes.Cut(rest, []byte("\n"))
		rest = next
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if !complete && len(head) == sniffLen {
			// A line cut by the window: judge it by its keys.
			if line[0] == '{' && (bytes.Contains(line, []byte(`"trace_id"`)) || bytes.Contains(line, []byte(`"process"`)) || bytes.Contains(line, []byte(`"cost"`))) {
				return ""
			}
			break
		}
		var rec map[string]json.RawMessage
		if json.Unmarshal(line, &rec) != nil || rec == nil {
			if first == "" {
				first = describe(head)
			}
			continue
		}
		if _, ok := rec["trace_id"]; ok {
			return ""
		}
		if _, ok := rec["process"]; ok {
			return ""
		}
		if _, ok := rec["cost"]; ok {
			return ""
		}
		if first == "" {
			first = "JSON, but not a span or process record: its keys are " + keysOf(rec)
		}
	}
	if first == "" {
		first = describe(head)
	}
	return first
}

// compressed lists the magic numbers of the compressors a trace is most
// often passed through.
var compressed = []struct{ magic, what string }{
	{"\x1f\x8b", "gzip-compressed data"},
	{"\x28\xb5\x2f\xfd", "zstd-compressed data"},
	{"BZh", "bzip2-compressed data"},
	{"\xfd7zXZ\x00", "xz-compressed data"},
	{"PK\x03\x04", "a zip archive"},
}

// describe says what head looks like, for input that is neither format.
func describe(head []byte) string {
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return "only white space"
	case trimmed[0] == '[' || trimmed[0] == '{':
		if bytes.Contains(trimmed[:min(len(trimmed), 200)], []byte(`"traceEvents"`)) {
			return "a Chrome trace event file"
		}
		return "JSON, but not one span or process record a line"
	case isText(head):
		line, _, _ := bytes.Cut(trimmed, []byte("\n"))
		return fmt.Sprintf("text starting %q", truncate(string(line), 40))
	}
	return fmt.Sprintf("binary data starting % x", head[:min(len(head), 8)])
}

// isText reports whether b is valid UTF-8 (allowing a rune cut at the end
// of the window) without control characters other than white space.
func isText(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < ' ' && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return false
		}
		b = b[n:]
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// keysOf lists up to four keys of rec, sorted.
func keysOf(rec map[string]json.RawMessage) string {
	keys := make([]string, 0, len(rec))
	for k := range rec {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return "none"
	}
	if len(keys) > 4 {
		return strings.Join(keys[:4], ", ") + ", …"
	}
	return strings.Join(keys, ", ")
}
