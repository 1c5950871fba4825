package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/autotrace/autotrace/internal/hotspot"
	"github.com/autotrace/autotrace/tracefile"
)

// kind is what a trace line holds.
type kind uint8

const (
	kindBlank   kind = iota // an empty line
	kindSpan                // a span
	kindProcess             // a process record
	kindCost                // a cost record: what recording a span cost a process
	kindFold                // a fold record: calls the runtime folded into one (rec.span.Folded)
	kindOther               // a JSON object of another kind, ignored
)

// record is a parsed line.
type record struct {
	span    hotspot.Span
	errMsg  string // the span's error message, when the parser wants it
	process []byte // the raw value of "process"
	cost    []byte // the raw value of "cost"
	fold    []byte // the raw value of "fold"
	attrs   []byte // the raw value of "attrs", when the parser wants it
}

// parser is a hand-written parser for trace lines. It reads only the keys a
// report needs, skips the rest (attrs included) without building values, and
// interns span names so that a name costs one allocation per input.
type parser struct {
	names     map[string]string
	wantError bool // keep error messages (chrome, html)
	wantAttrs bool // keep the raw attributes (-by, -where, html)
}

func newParser() *parser { return &parser{names: make(map[string]string)} }

// Field bits, to check the required ones.
const (
	hasTrace = 1 << iota
	hasSpan
	hasName
	hasStart
	hasDur
	required = hasTrace | hasSpan | hasName | hasStart | hasDur
)

var (
	errTruncated = errors.New("truncated line")
	errNotObject = errors.New("not a JSON object")
)

// syntaxError describes bad JSON at a byte offset of the line.
func syntaxError(what string, at int) error {
	return errors.New(what + " at column " + strconv.Itoa(at+1))
}

// parse reads line into rec. A nil error with kindSpan means rec.span is a
// valid span.
func (p *parser) parse(line []byte, rec *record) (kind, error) {
	*rec = record{}
	i := skipWS(line, 0)
	if i == len(line) {
		return kindBlank, nil
	}
	if line[i] != '{' {
		return 0, errNotObject
	}
	i = skipWS(line, i+1)
	var seen int
	if i < len(line) && line[i] == '}' {
		i++
	} else {
		for {
			if i >= len(line) {
				return 0, errTruncated
			}
			if line[i] != '"' {
				return 0, syntaxError("expected a key", i)
			}
			key, _, j, err := readString(line, i)
			if err != nil {
				return 0, err
			}
			i = skipWS(line, j)
			if i >= len(line) {
				return 0, errTruncated
			}
			if line[i] != ':' {
				return 0, syntaxError("expected ':'", i)
			}
			i = skipWS(line, i+1)
			if i, err = p.value(line, i, key, rec, &seen); err != nil {
				return 0, err
			}
			i = skipWS(line, i)
			if i >= len(line) {
				return 0, errTruncated
			}
			if line[i] == '}' {
				i++
				break
			}
			if line[i] != ',' {
				return 0, syntaxError("expected ',' or '}'", i)
			}
			i = skipWS(line, i+1)
		}
	}
	if i = skipWS(line, i); i != len(line) {
		return 0, syntaxError("text after the object", i)
	}
	switch {
	case rec.process != nil:
		return kindProcess, nil
	case rec.cost != nil && seen == 0:
		return kindCost, nil
	case rec.fold != nil && seen == 0:
		if err := p.parseFold(rec); err != nil {
			return 0, err
		}
		return kindFold, nil
	case seen&required == required:
		if msg := tracefile.SpanProblem(rec.span.TraceID, rec.span.SpanID, rec.span.Dur); msg != "" {
			return 0, errors.New(msg)
		}
		return kindSpan, nil
	case seen != 0:
		return 0, errors.New("span without " + missing(seen))
	}
	return kindOther, nil
}

// missing names the first required field not in seen.
func missing(seen int) string {
	for _, f := range []struct {
		bit  int
		name string
	}{{hasTrace, "trace_id"}, {hasSpan, "span_id"}, {hasName, "name"}, {hasStart, "start_ns"}, {hasDur, "dur_ns"}} {
		if seen&f.bit == 0 {
			return f.name
		}
	}
	return ""
}

// value reads the value of key at line[i] and returns the offset after it.
func (p *parser) value(line []byte, i int, keyb []byte, rec *record, seen *int) (int, error) {
	s := &rec.span
	key := string(keyb) // short and not kept: no allocation
	switch key {
	case "trace_id", "span_id", "parent_id":
		if i < len(line) && line[i] == 'n' { // null
			return skipValue(line, i)
		}
		raw, _, j, err := readStringAt(line, i)
		if err != nil {
			return j, err
		}
		var ok bool
		switch key {
		case "trace_id":
			ok = decodeHex(s.TraceID[:], raw)
			*seen |= hasTrace
		case "span_id":
			ok = decodeHex(s.SpanID[:], raw)
			*seen |= hasSpan
		default:
			ok = len(raw) == 0 || decodeHex(s.ParentID[:], raw)
		}
		if !ok {
			return j, errors.New("bad " + key + " " + strconv.Quote(string(raw)))
		}
		return j, nil
	case "name":
		raw, esc, j, err := readStringAt(line, i)
		if err != nil {
			return j, err
		}
		if esc {
			var n string
			if err := json.Unmarshal(line[i:j], &n); err != nil {
				return j, errors.New("bad name: " + err.Error())
			}
			raw = []byte(n)
		}
		name, ok := p.names[string(raw)]
		if !ok {
			name = string(raw)
			p.names[name] = name
		}
		s.Name = name
		*seen |= hasName
		return j, nil
	case "start_ns", "dur_ns", "pid":
		v, j, err := readInt(line, i)
		if err != nil {
			return j, errors.New("bad " + key + ": " + err.Error())
		}
		switch key {
		case "start_ns":
			s.Start = v
			*seen |= hasStart
		case "dur_ns":
			s.Dur = v
			*seen |= hasDur
		default:
			s.Pid = int(v)
		}
		return j, nil
	case "status":
		raw, _, j, err := readStringAt(line, i)
		if err != nil {
			return j, err
		}
		switch string(raw) {
		case "error":
			s.Status = hotspot.StatusError
		case "panic":
			s.Status = hotspot.StatusPanic
		}
		return j, nil
	case "error":
		if !p.wantError || i >= len(line) || line[i] != '"' {
			return skipValue(line, i)
		}
		raw, esc, j, err := readString(line, i)
		if err != nil {
			return j, err
		}
		if esc {
			var m string
			if json.Unmarshal(line[i:j], &m) == nil {
				rec.errMsg = m
			}
		} else {
			rec.errMsg = string(raw)
		}
		return j, nil
	case "attrs":
		j, err := skipValue(line, i)
		if err == nil && p.wantAttrs && line[i] == '{' {
			rec.attrs = line[i:j]
		}
		return j, err
	case "process":
		j, err := skipValue(line, i)
		if err != nil {
			return j, err
		}
		if line[i] != '{' {
			return j, errors.New("process record is not an object")
		}
		rec.process = line[i:j]
		return j, nil
	case "cost":
		j, err := skipValue(line, i)
		if err != nil {
			return j, err
		}
		if line[i] != '{' {
			return j, errors.New("cost record is not an object")
		}
		rec.cost = line[i:j]
		return j, nil
	case "fold":
		j, err := skipValue(line, i)
		if err != nil {
			return j, err
		}
		if line[i] != '{' {
			return j, errors.New("fold record is not an object")
		}
		rec.fold = line[i:j]
		return j, nil
	}
	return skipValue(line, i)
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// readStringAt is readString that also accepts a missing value as truncation.
func readStringAt(b []byte, i int) ([]byte, bool, int, error) {
	if i >= len(b) {
		return nil, false, i, errTruncated
	}
	if b[i] != '"' {
		return nil, false, i, syntaxError("expected a string", i)
	}
	return readString(b, i)
}

// readString reads the string starting at the quote b[i]. It returns its raw
// contents (escapes left as they are), whether it has escapes, and the offset
// after the closing quote.
func readString(b []byte, i int) ([]byte, bool, int, error) {
	// Fast path: no escapes before the closing quote.
	rest := b[i+1:]
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return nil, false, len(b), errTruncated
	}
	if bytes.IndexByte(rest[:q], '\\') < 0 {
		return rest[:q], false, i + 1 + q + 1, nil
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '"':
			return b[i+1 : j], true, j + 1, nil
		case '\\':
			j++
		}
	}
	return nil, false, len(b), errTruncated
}

// readInt reads a JSON number as an int64 (a fraction is truncated).
func readInt(b []byte, i int) (int64, int, error) {
	j := i
	var v int64
	neg := false
	if j < len(b) && b[j] == '-' {
		neg = true
		j++
	}
	start := j
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		if v > (1<<63-1)/10 {
			return 0, j, errors.New("number out of range")
		}
		v = v*10 + int64(b[j]-'0')
		j++
	}
	if j == start {
		if j >= len(b) {
			return 0, j, errTruncated
		}
		return 0, j, syntaxError("expected a number", j)
	}
	if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		k, err := skipValue(b, i)
		if err != nil {
			return 0, k, err
		}
		f, err := strconv.ParseFloat(string(b[i:k]), 64)
		if err != nil || f >= 1<<63 || f < -(1<<63) {
			return 0, k, syntaxError("bad number", i)
		}
		return int64(f), k, nil
	}
	if neg {
		v = -v
	}
	return v, j, nil
}

// skipValue returns the offset after the JSON value at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return i, errTruncated
	}
	switch c := b[i]; {
	case c == '"':
		_, _, j, err := readString(b, i)
		return j, err
	case c == '{' || c == '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				_, _, k, err := readString(b, j)
				if err != nil {
					return k, err
				}
				j = k - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return len(b), errTruncated
	case c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n':
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' {
			j++
		}
		return j, nil
	}
	return i, syntaxError("unexpected "+strconv.QuoteRune(rune(b[i])), i)
}

// decodeHex decodes len(dst)*2 hex digits (either case) from src.
func decodeHex(dst, src []byte) bool {
	if len(src) != 2*len(dst) {
		return false
	}
	for i := range dst {
		h, ok1 := unhex(src[2*i])
		l, ok2 := unhex(src[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[i] = h<<4 | l
	}
	return true
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// processJSON is the process record as written by the runtime.
type processJSON struct {
	Pid          int               `json:"pid"`
	Cmd          string            `json:"cmd"`
	StartNs      int64             `json:"start_ns"`
	Spans        int64             `json:"spans"`
	Dropped      int64             `json:"dropped"`
	Pending      []json.RawMessage `json:"pending"`
	PendingCount *int64            `json:"pending_count"`
}

// parseProcess decodes a process record's value.
func parseProcess(raw []byte) (hotspot.Process, error) {
	var pj processJSON
	if err := json.Unmarshal(raw, &pj); err != nil {
		return hotspot.Process{}, errors.New("bad process record: " + err.Error())
	}
	p := hotspot.Process{Pid: pj.Pid, Cmd: pj.Cmd, Start: pj.StartNs, Spans: pj.Spans, Dropped: pj.Dropped,
		Pending: int64(len(pj.Pending))}
	for _, raw := range pj.Pending { // names, or objects with a name
		var name string
		if json.Unmarshal(raw, &name) != nil {
			var obj struct {
				Name string `json:"name"`
			}
			json.Unmarshal(raw, &obj)
			name = obj.Name
		}
		if name != "" {
			p.Open = append(p.Open, name)
		}
	}
	if pj.PendingCount != nil {
		p.Pending = *pj.PendingCount
	}
	return p, nil
}

// parseCost reads the value of a cost record's "cost" key.
func parseCost(raw []byte) (tracefile.Cost, error) {
	var cj struct {
		Pid         int   `json:"pid"`
		InnerNs     int64 `json:"inner_ns"`
		OuterNs     int64 `json:"outer_ns"`
		FoldInnerNs int64 `json:"fold_inner_ns"`
		FoldOuterNs int64 `json:"fold_outer_ns"`
		FoldRecord  int64 `json:"fold_record_ns"`
		EarlyNs     int64 `json:"early_ns"` // how far below 0 inner_ns is: the end read early
		FoldEarlyNs int64 `json:"fold_early_ns"`
	}
	if err := json.Unmarshal(raw, &cj); err != nil {
		return tracefile.Cost{}, errors.New("bad cost record: " + err.Error())
	}
	if cj.OuterNs <= 0 || cj.InnerNs < 0 || cj.InnerNs > cj.OuterNs {
		return tracefile.Cost{}, errors.New("bad cost record: want 0 <= inner_ns <= outer_ns, outer_ns > 0")
	}
	c := tracefile.Cost{Pid: cj.Pid, InnerNs: cj.InnerNs - max(cj.EarlyNs, 0), OuterNs: cj.OuterNs}
	if 0 <= cj.FoldInnerNs && cj.FoldInnerNs <= cj.FoldOuterNs {
		c.FoldInnerNs, c.FoldOuterNs, c.FoldRecordNs = cj.FoldInnerNs-max(cj.FoldEarlyNs, 0), cj.FoldOuterNs, max(cj.FoldRecord, 0)
	}
	return c, nil
}

// parseFold reads the value of a fold record's "fold" key into rec.span
// (docs/trace-format.md): few lines are fold records, so encoding/json
// does.
func (p *parser) parseFold(rec *record) error {
	var fj struct {
		TraceID  string `json:"trace_id"`
		ParentID string `json:"parent_id"`
		Name     string `json:"name"`
		StartNs  int64  `json:"start_ns"`
		DurNs    int64  `json:"dur_ns"`
		Calls    int64  `json:"calls"`
		Pid      int    `json:"pid"`
	}
	if err := json.Unmarshal(rec.fold, &fj); err != nil {
		return errors.New("bad fold record: " + err.Error())
	}
	s := &rec.span
	if len(fj.TraceID) != 32 || !decodeHex(s.TraceID[:], []byte(fj.TraceID)) || s.TraceID == [16]byte{} ||
		len(fj.ParentID) != 16 || !decodeHex(s.ParentID[:], []byte(fj.ParentID)) || s.ParentID == [8]byte{} {
		return errors.New("bad fold record: want a trace_id and a parent_id")
	}
	if fj.Calls <= 0 || fj.DurNs < 0 {
		return errors.New("bad fold record: want calls > 0 and dur_ns >= 0")
	}
	name, ok := p.names[fj.Name]
	if !ok {
		name = fj.Name
		p.names[name] = name
	}
	s.Name, s.Start, s.Dur, s.Folded, s.Pid = name, fj.StartNs, fj.DurNs, fj.Calls, fj.Pid
	return nil
}
