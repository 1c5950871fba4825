package otlp

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/autotrace/autotrace/tracefile"
)

// spanLine is a span line of a trace file (DESIGN §6), or, when Process is
// set, the process record.
type spanLine struct {
	TraceID  string         `json:"trace_id"`
	SpanID   string         `json:"span_id"`
	ParentID string         `json:"parent_id"`
	Name     string         `json:"name"`
	StartNs  *int64         `json:"start_ns"` // nil: missing, an invalid span
	DurNs    int64          `json:"dur_ns"`
	Pid      int            `json:"pid"`
	Status   string         `json:"status"`
	Error    string         `json:"error"`
	State    string         `json:"tracestate"`
	Attrs    map[string]any `json:"attrs"`
	Process  *processLine   `json:"process"`
	// Cost is a process's measured cost of recording a span: export
	// keeps the measured timestamps and skips it.
	Cost json.RawMessage `json:"cost"`
	// Fold is a fold record (calls the runtime folded, AUTOTRACE_FOLD):
	// OTLP carries spans, so export skips it, and the calls it holds.
	Fold json.RawMessage `json:"fold"`
}

// processLine is the record a process writes at shutdown.
type processLine struct {
	Pid int    `json:"pid"`
	Cmd string `json:"cmd"`
}

// maxProblems is how many malformed lines are described; the rest are
// only counted.
const maxProblems = 10

// scanner reads the lines of trace files, counting malformed ones.
type scanner struct {
	malformed int
	problems  []string // "file:line: what", the first maxProblems
}

func (sc *scanner) problem(file string, line int, format string, args ...any) {
	sc.malformed++
	if len(sc.problems) < maxProblems {
		sc.problems = append(sc.problems, fmt.Sprintf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
	}
}

// scan calls fn with each well-formed line of file. When strict is false
// malformed lines are skipped silently (a second pass over a file already
// checked).
func (sc *scanner) scan(file string, strict bool, fn func(*spanLine) error) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	view, st, err := tracefile.View(f) // a binary trace is read as its JSON Lines view
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	br := bufio.NewReaderSize(view, 256<<10)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec spanLine
			d := json.NewDecoder(bytes.NewReader(line))
			d.UseNumber()
			if derr := d.Decode(&rec); derr != nil {
				if strict {
					sc.problem(file, n, "%v", derr)
				}
			} else if msg := rec.invalid(); msg != "" {
				if strict {
					sc.problem(file, n, "%s", msg)
				}
			} else if ferr := fn(&rec); ferr != nil {
				return fmt.Errorf("%s:%d: %w", file, n, ferr)
			}
		}
		if errors.Is(err, io.EOF) {
			if strict && st.Torn+st.Unreadable > 0 {
				sc.problem(file, n, "skipped %d torn chunks and %d unreadable records", st.Torn, st.Unreadable)
			}
			return nil
		}
		if err != nil && st.Binary {
			return fmt.Errorf("%s: %w", file, err)
		}
		if err != nil {
			return fmt.Errorf("%s:%d: %w", file, n, err)
		}
	}
}

// invalid says what is wrong with a line that parsed, or "": the ids'
// spelling here, their values by the readers' one rule
// (tracefile.SpanProblem).
func (l *spanLine) invalid() string {
	switch {
	case l.Process != nil, l.Cost != nil, l.Fold != nil:
		return ""
	case !isHex(l.TraceID, 32):
		return fmt.Sprintf("trace_id %q is not 32 hex digits", l.TraceID)
	case !isHex(l.SpanID, 16):
		return fmt.Sprintf("span_id %q is not 16 hex digits", l.SpanID)
	case l.ParentID != "" && !isHex(l.ParentID, 16):
		return fmt.Sprintf("parent_id %q is not 16 hex digits", l.ParentID)
	case l.StartNs == nil:
		return "span without start_ns"
	}
	var trace [16]byte
	var span [8]byte
	hex.Decode(trace[:], []byte(l.TraceID))
	hex.Decode(span[:], []byte(l.SpanID))
	return tracefile.SpanProblem(trace, span, l.DurNs)
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
