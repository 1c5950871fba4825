package autotrace

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAppendFormat: a file that holds a trace is appended to in its own
// format, whatever was asked (with a warning when that differs); a file
// that holds anything else is refused; an absent or empty file takes the
// format asked for (issue 24, item 3).
func TestAppendFormat(t *testing.T) {
	tests := []struct {
		name     string
		content  *string // nil: no file
		ask      string
		want     string
		wantErr  string
		wantWarn string
	}{
		{"absent", nil, FormatBinary, FormatBinary, "", ""},
		{"empty", ptr(""), FormatJSONLines, FormatJSONLines, "", ""},
		{"binary asked binary", ptr(chunkMagic + "\x01\x00rest"), FormatBinary, FormatBinary, "", ""},
		{"binary asked jsonl", ptr(chunkMagic + "\x01\x00rest"), FormatJSONLines, FormatBinary, "", "already holds a binary trace: appending in binary too, not JSON Lines"},
		{"jsonl asked binary", ptr(`{"trace_id":"01"}` + "\n"), FormatBinary, FormatJSONLines, "", "already holds a JSON Lines trace: appending in JSON Lines too, not binary"},
		{"process record first", ptr(`{"process":{"pid":1}}` + "\n"), FormatJSONLines, FormatJSONLines, "", ""},
		{"blank lines", ptr("\n\n"), FormatBinary, FormatJSONLines, "", ""},
		{"text", ptr("my notes\n"), FormatBinary, "", "is not an autotrace trace: not recording into it", ""},
		{"other JSON", ptr(`{"name":"x"}`), FormatJSONLines, "", "is not an autotrace trace", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "trace")
			if tt.content != nil {
				if err := os.WriteFile(path, []byte(*tt.content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var warned bytes.Buffer
			old := warnOut
			warnOut = &warned
			defer func() { warnOut = old }()
			got, err := appendFormat(path, tt.ask)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("appendFormat = %q, %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("appendFormat = %q, %v; want %q", got, err, tt.want)
			}
			if w := warned.String(); tt.wantWarn == "" && w != "" || !strings.Contains(w, tt.wantWarn) {
				t.Errorf("warning %q, want %q", w, tt.wantWarn)
			}
		})
	}
}

func ptr(s string) *string { return &s }
