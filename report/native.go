package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/autotrace/autotrace/internal/hotspot"
	"github.com/autotrace/autotrace/tracefile"
)

// nativeSpan converts a decoded binary span record to what the aggregator
// needs: no JSON in between (the site table's strings are shared, so a span
// costs no allocation).
func nativeSpan(dst *hotspot.Span, sp *tracefile.Span, names *nameCache) {
	*dst = hotspot.Span{
		TraceID: sp.TraceID, SpanID: sp.SpanID, ParentID: sp.ParentID, Name: names.valid(sp.Name),
		Start: sp.StartNs, Dur: sp.DurNs, Status: sp.Status, Pid: sp.Pid, Folded: int64(sp.Calls),
	}
}

// nameCache remembers validUTF8 of recent span names, by a hash of their
// length and ends: a trace has few names, and a site's name is one string,
// so the check is most often a pointer comparison instead of a scan.
type nameCache [64]struct{ raw, valid string }

func (c *nameCache) valid(s string) string {
	n := len(s)
	if n == 0 {
		return s
	}
	e := &c[(n*31+int(s[0])*7+int(s[n-1]))&(len(c)-1)]
	if e.raw != s || e.valid == "" {
		e.raw, e.valid = s, validUTF8(s)
	}
	return e.valid
}

// validUTF8 returns s with each invalid byte replaced by U+FFFD, as the
// JSON view shows it, so that both readers name spans alike.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// nativeProcess converts a decoded process record.
func nativeProcess(p *tracefile.Process) *hotspot.Process {
	return &hotspot.Process{
		Pid: p.Pid, Cmd: p.Cmd, Start: p.StartNs, Spans: int64(p.Spans), Dropped: int64(p.Dropped),
		Pending: int64(p.PendingCount), Open: append([]string(nil), p.Pending...),
	}
}

// records calls fn for each span and process record of in. A binary trace
// is decoded natively (the raw attributes, when p wants them, written as
// the JSON view writes them); anything else goes through the JSON Lines parser, and in
// pass 1 its malformed lines are counted; skip, when not nil, passes over
// JSON lines before they are parsed, and want, when not nil, selects the
// binary trace's spans by trace ID before they are decoded in full (others
// may still reach fn). fn gets rec (valid until it returns) for a span,
// proc for a process record.
func (r *run) records(pass int, in *input, p *parser, skip func(line []byte) bool, want func([16]byte) bool, fn func(rec *record, proc *hotspot.Process)) error {
	f, err := os.Open(in.path)
	if err != nil {
		return err
	}
	cr := &countingReader{r: f}
	br := bufio.NewReaderSize(cr, 1<<20)
	prefix, _ := br.Peek(4)
	if tracefile.IsBinary(prefix) {
		defer f.Close()
		dec := tracefile.NewReader(br)
		dec.Want = want
		return r.native(pass, in, cr, dec, p, fn)
	}
	f.Close()
	var rec record
	return r.scan(pass, in, func(line []byte, n int) {
		if skip != nil && skip(line) {
			return
		}
		k, err := p.parse(line, &rec)
		if err != nil {
			if pass == 1 {
				r.bad(in, n, err)
			}
			return
		}
		switch k {
		case kindSpan:
			fn(&rec, nil)
		case kindFold:
			fn(&rec, nil)
		case kindProcess:
			proc, err := parseProcess(rec.process)
			if err != nil {
				if pass == 1 {
					r.bad(in, n, err)
				}
				return
			}
			fn(&rec, &proc)
		case kindCost:
			if pass != 1 || r.onCost == nil {
				return
			}
			c, err := parseCost(rec.cost)
			if err != nil {
				r.bad(in, n, err)
				return
			}
			r.onCost(c)
		}
	})
}

// native reads the binary trace dec of in.
func (r *run) native(pass int, in *input, cr *countingReader, dec *tracefile.Reader, p *parser, fn func(rec *record, proc *hotspot.Process)) error {
	if pass == 1 {
		dec.Cost = r.onCost
	}
	dec.Folds = true
	var rec record
	var names nameCache
	for n := 1; ; n++ {
		sp, proc, err := dec.Next()
		switch {
		case errors.Is(err, io.EOF):
			r.prog.done += in.size
			if pass == 1 && dec.Torn+dec.Unreadable > 0 {
				r.malformed += int64(dec.Torn + dec.Unreadable)
				r.prog.clear()
				fmt.Fprintf(r.stderr, "report: %s: skipped %d torn chunks and %d unreadable records\n", in.name, dec.Torn, dec.Unreadable)
			}
			return nil
		case err != nil:
			return fmt.Errorf("%s: %v", in.name, err)
		case sp != nil:
			nativeSpan(&rec.span, sp, &names)
			rec.errMsg = ""
			if p.wantError {
				rec.errMsg = validUTF8(sp.Error)
			}
			if p.wantAttrs {
				rec.attrs = tracefile.AppendAttrsJSON(rec.attrs[:0], sp)
			}
			fn(&rec, nil)
		case proc != nil:
			fn(&rec, nativeProcess(proc))
		}
		if n&16383 == 0 {
			r.prog.update(pass, in.name, cr.n)
		}
	}
}
