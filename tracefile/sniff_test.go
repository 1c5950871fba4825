package tracefile

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestSniff: both formats are traces, however they start; anything else
// is a *NotTraceError that says what it looks like.
func TestSniff(t *testing.T) {
	sample, err := os.ReadFile("testdata/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	binary, err := os.ReadFile("testdata/sample.trace")
	if err != nil {
		t.Fatal(err)
	}
	long := `{"trace_id":"` + strings.Repeat("a", sniffLen) + "\"}\n"
	tests := []struct {
		name, in string
		looks    string // "" for a trace
	}{
		{"binary", string(binary), ""},
		{"json lines", string(sample), ""},
		{"process record first", `{"process":{"pid":1}}` + "\n", ""},
		{"blank lines, then a span", "\n\n" + string(sample), ""},
		{"malformed lines, then a span", "garbage\nmore\n" + string(sample), ""},
		{"a line longer than the window", long, ""},
		{"empty", "", "empty"},
		{"white space", " \n\t\n", "only white space"},
		{"gzip", "\x1f\x8b\x08\x00rest", "gzip-compressed data; decompress it first"},
		{"zstd", "\x28\xb5\x2f\xfdrest", "zstd-compressed data; decompress it first"},
		{"other JSON", `{"name":"x","version":3}` + "\n", "JSON, but not a span or process record: its keys are name, version"},
		{"JSON null", "null\n", "text starting \"null\""},
		{"chrome", `{"traceEvents":[]}`, "JSON, but not a span or process record: its keys are traceEvents"},
		{"text", "hello world\n", `text starting "hello world"`},
		{"random bytes", "\xfe\x01\x02\x03\x04\x05\x06\x07\x08", "binary data starting fe 01 02 03 04 05 06 07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Sniff(bufio.NewReaderSize(bytes.NewReader([]byte(tt.in)), 256<<10))
			var nt *NotTraceError
			switch {
			case tt.looks == "" && err != nil:
				t.Errorf("Sniff = %v, want a trace", err)
			case tt.looks != "" && !errors.As(err, &nt):
				t.Errorf("Sniff = %v, want not a trace (%s)", err, tt.looks)
			case tt.looks != "" && nt.Looks != tt.looks:
				t.Errorf("looks like %q, want %q", nt.Looks, tt.looks)
			}
		})
	}
}
