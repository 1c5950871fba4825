package autotrace

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// appendFormat decides the format in which to append to the trace file
// path, which the configuration asked to write in format: a file that
// already holds a trace continues in the trace's format, so that one file
// never mixes the two (DESIGN §5), with a word on stderr when that is not
// the format asked for; a file that holds anything else is refused, so
// that recording never writes into a file that is not a trace. An absent
// or empty file takes the format asked for.
func appendFormat(path, format string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return format, nil // absent, or unreadable: the open for writing says why
	}
	defer f.Close()
	var head [64]byte
	n, _ := io.ReadFull(f, head[:])
	found := traceFormatOf(head[:n])
	switch {
	case n == 0:
		return format, nil
	case len(bytes.TrimSpace(head[:n])) == 0:
		return FormatJSONLines, nil // blank lines only: readers skip them, not a binary chunk after them
	case found == "":
		return "", fmt.Errorf("autotrace: %s is not an autotrace trace: not recording into it (remove it or choose another AUTOTRACE_OUT)", path)
	case found != format:
		warnf("%s already holds a %s trace: appending in %s too, not %s (autotrace cat shows either format as JSON Lines)", path, formatName(found), formatName(found), formatName(format))
	}
	return found, nil
}

// traceFormatOf says which format a file starting with head is in, or ""
// when it is neither: binary starts with the chunk magic, JSON Lines with
// a span or process record.
func traceFormatOf(head []byte) string {
	if bytes.HasPrefix(head, []byte(chunkMagic)) {
		return FormatBinary
	}
	rec := bytes.TrimLeft(head, " \t\r\n")
	if bytes.HasPrefix(rec, []byte(`{"trace_id"`)) || bytes.HasPrefix(rec, []byte(`{"process"`)) || bytes.HasPrefix(rec, []byte(`{"cost"`)) {
		return FormatJSONLines
	}
	return ""
}

func formatName(f string) string {
	if f == FormatJSONLines {
		return "JSON Lines"
	}
	return f
}
