package autotrace

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/autotrace/autotrace/tracefile"
)

// sampleSpans returns ended spans covering every field of the format: roots
// and children, traces repeated, interleaved and beyond the recent-trace
// table, errors, panics, attributes (some larger than a two-byte length),
// tracestate, a site without a number and one without a line, strings that
// need escaping.
func sampleSpans(n int) (spans []*tspan, ends []int64) {
	plain := siteOf("sample.(*Cart).Add")
	other := siteOf("sample weird \"name\"\n\xff")
	unnumbered := &callSite{name: "dyn.site", function: "example.com/dyn.F", location: "dyn/f.go:12"}
	unnumbered.json = encodeSite(unnumbered)
	noLine := registerSite(&callSite{name: "noline", function: "example.com/x.G", location: "x/g.go"})
	noLine.json = encodeSite(noLine)
	traces := make([]traceID, 40)
	for i := range traces {
		traces[i] = newTraceID()
	}
	t0 := ticks()
	for i := range n {
		s := &tspan{site: plain, trace: traces[i%len(traces)], id: newSpanID(), start: t0 + int64(i*1000)}
		if i%7 == 0 {
			s.trace = traces[(i/7)%3]
		}
		switch {
		case i%3 == 0:
		case i%3 == 1:
			s.parentID = 0x1122334455667788
		default:
			s.parentID = newSpanID()
		}
		switch i % 11 {
		case 1:
			s.site = other
		case 2:
			s.site = unnumbered
		case 3:
			s.site = noLine
		case 4:
			s.status = statusError
			s.ext().err = "boom \"quoted\"\n\x01 " + strconv.Itoa(i)
		case 5:
			s.status = statusPanic
			e := s.ext()
			e.err, e.panicVal, e.panicLoc, e.panicFn = "panic: x", "x", "shop/cart.go:9", "shop.F"
		case 6:
			e := s.ext()
			for k := range 3 {
				e.attrs = append(e.attrs, Attr{"key" + strconv.Itoa(k), StringValue("v\t" + strconv.Itoa(i))})
			}
			e.attrs = append(e.attrs, Attr{"n", IntValue(int64(-i))}, Attr{"u", UintValue(uint64(i) << 40)},
				Attr{"f", FloatValue(float64(i) / 3)}, Attr{"nan", FloatValue(math.NaN())}, Attr{"inf", FloatValue(math.Inf(-1))},
				Attr{"ok", BoolValue(i%2 == 0)}, Attr{"at", TimeValue(time.Unix(1700000000, int64(i)))})
		case 7:
			s.state = "vendor=abc,other=1"
		case 8:
			e := s.ext()
			for k := range maxAttrs {
				e.attrs = append(e.attrs, Attr{"big" + strconv.Itoa(k), StringValue(strings.Repeat("é", maxValueLen/2))})
			}
		}
		spans = append(spans, s)
		ends = append(ends, s.start+int64(i%5000)+1)
	}
	return spans, ends
}

// TestBinaryCatEqualsJSON: the same spans written as JSON Lines and in the
// binary format, the binary one printed by the JSON view, are the same
// bytes, spans and process record alike.
func TestBinaryCatEqualsJSON(t *testing.T) {
	record(t, Config{Writer: io.Discard}) // clock and sites as when recording
	spans, ends := sampleSpans(5000)
	var jsonOut, binOut bytes.Buffer
	var je, be exporter
	je.init(&jsonOut, nil, true)
	be.init(&binOut, nil, false)
	be.conv = je.conv
	for i, s := range spans {
		var r rec
		if recOfT(&r, s, ends[i]) {
			je.add(&r, s.x())
			be.add(&r, s.x())
		} else {
			je.add(&r, nil)
			be.add(&r, nil)
		}
		if i%1000 == 999 {
			je.write()
			be.write()
		}
	}
	je.write()
	be.write()
	je.finish(3, 2, []string{"open \"one\"", "two"})
	be.finish(3, 2, []string{"open \"one\"", "two"})

	view, st := tracefile.JSONLines(bytes.NewReader(binOut.Bytes()))
	got, err := io.ReadAll(view)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Binary || st.Torn != 0 || st.Unreadable != 0 {
		t.Fatalf("stats %+v", *st)
	}
	want := jsonOut.Bytes()
	if !bytes.Equal(got, want) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := range min(len(gl), len(wl)) {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Fatalf("line %d differs:\n got %.400s\nwant %.400s", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
	t.Logf("%d spans: %d bytes binary, %d JSON (%.1f%%)", len(spans), binOut.Len(), len(want), 100*float64(binOut.Len())/float64(len(want)))
}

// TestBinaryPlainSpanSize: a plain span (no error, no attributes) takes at
// most 32 bytes on average, in traces of ten spans where every other span
// has a new parent.
func TestBinaryPlainSpanSize(t *testing.T) {
	record(t, Config{Writer: io.Discard})
	var out bytes.Buffer
	var e exporter
	e.init(&out, nil, false)
	site := siteOf("sample.plain")
	tr := newTraceID()
	var parent uint64
	t0 := ticks()
	const n = 10000
	for i := range n {
		if i%2 == 0 {
			parent = newSpanID()
		}
		s := &tspan{site: site, trace: tr, id: newSpanID(), parentID: parent, start: t0 + int64(i)*2000}
		if i%10 == 0 {
			s.parentID, s.trace = 0, newTraceID() // a root of its own trace
		}
		var r rec
		recOfT(&r, s, s.start+1500)
		e.add(&r, nil)
	}
	e.write()
	per := float64(out.Len()) / n
	t.Logf("%.1f bytes per plain span", per)
	if per > 32 {
		t.Errorf("%.1f bytes per plain span, want ≤ 32", per)
	}
}

// fakeProcess encodes spans into chunks as process fakePid would, each
// flush a chunk of its own.
type fakeProcess struct {
	pid int
	out bytes.Buffer
	e   exporter
}

func newFakeProcess(p int) *fakeProcess {
	f := &fakeProcess{pid: p}
	f.e.init(&f.out, nil, false)
	return f
}

// chunk encodes spans as one chunk and returns it.
func (f *fakeProcess) chunk(spans []*tspan, ends []int64) []byte {
	defer func(p int) { pid = p }(pid)
	pid = f.pid
	for i, s := range spans {
		var r rec
		if recOfT(&r, s, ends[i]) {
			f.e.add(&r, s.x())
		} else {
			f.e.add(&r, nil)
		}
	}
	f.out.Reset()
	f.e.write()
	return bytes.Clone(f.out.Bytes())
}

// decodeAll reads a binary trace and counts spans per pid.
func decodeAll(tb testing.TB, data []byte) (perPid map[int]int, rd *tracefile.Reader, err error) {
	perPid = map[int]int{}
	rd = tracefile.NewReader(bytes.NewReader(data))
	for {
		sp, _, err := rd.Next()
		if err == io.EOF {
			return perPid, rd, nil
		}
		if err != nil {
			return perPid, rd, err
		}
		if sp != nil {
			perPid[sp.Pid]++
			if sp.Name == "" {
				tb.Errorf("span of pid %d without a name", sp.Pid)
			}
		}
	}
}

// TestBinaryProcessesInterleave: chunks of several processes, interleaved
// in one file, each decoded with its own process's tables.
func TestBinaryProcessesInterleave(t *testing.T) {
	record(t, Config{Writer: io.Discard})
	spans, ends := sampleSpans(300)
	procs := []*fakeProcess{newFakeProcess(101), newFakeProcess(102), newFakeProcess(103)}
	var file []byte
	want := map[int]int{}
	for k := 0; k < len(spans); k += 30 {
		for j, p := range procs {
			if (k/30+j)%2 == 0 || k == 0 {
				file = append(file, p.chunk(spans[k:k+30], ends[k:k+30])...)
				want[p.pid] += 30
			}
		}
	}
	got, rd, err := decodeAll(t, file)
	if err != nil || rd.Torn != 0 || rd.Unreadable != 0 {
		t.Fatalf("err %v, %d torn, %d unreadable", err, rd.Torn, rd.Unreadable)
	}
	if len(got) != len(want) {
		t.Fatalf("spans per pid %v, want %v", got, want)
	}
	for p, n := range want {
		if got[p] != n {
			t.Errorf("pid %d: %d spans, want %d", p, got[p], n)
		}
	}
}

// TestBinaryTornChunk: a damaged chunk is detected, counted once and
// skipped, and every chunk after it is read. A span of a later chunk of
// the same process whose site was defined only in the torn chunk is
// counted unreadable (a killed process writes no later chunk; a live one
// defines its sites again after a failed write).
func TestBinaryTornChunk(t *testing.T) {
	record(t, Config{Writer: io.Discard})
	spans, ends := sampleSpans(40)
	a, b := newFakeProcess(201), newFakeProcess(202)
	a1 := a.chunk(spans[:20], ends[:20])
	b1 := b.chunk(spans[:20], ends[:20])
	a2 := a.chunk(spans[20:], ends[20:])
	b2 := b.chunk(spans[20:], ends[20:])
	flip := func(c []byte, i int) []byte { c = bytes.Clone(c); c[i] ^= 0x40; return c }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name string
		file []byte
		want map[int]int // spans read, per pid
		torn int
		lost int // spans of 202's second chunk that need its torn first one
	}{
		{"whole", cat(a1, b1, a2, b2), map[int]int{201: 40, 202: 40}, 0, 0},
		{"cut mid-chunk, more chunks after", cat(a1, b1, a2[:len(a2)/2], b2), map[int]int{201: 20, 202: 40}, 1, 0},
		{"cut in the header", cat(a1, b1[:10], a2, b2), map[int]int{201: 40}, 1, 20},
		{"garbage between chunks", cat(a1, []byte("garbage\x89ATR\x01\x00 more garbage"), b1, a2, b2), map[int]int{201: 40, 202: 40}, 1, 0},
		{"payload byte flipped", cat(a1, flip(b1, len(b1)-3), a2, b2), map[int]int{201: 40}, 1, 20},
		{"cut at the end", cat(a1, b1, a2, b2[:len(b2)-5]), map[int]int{201: 40, 202: 20}, 1, 0},
		{"garbage at the end", cat(a1, b1, a2, b2, []byte("\x89AT")), map[int]int{201: 40, 202: 40}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rd, err := decodeAll(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if rd.Torn != tt.torn {
				t.Errorf("%d torn, want %d", rd.Torn, tt.torn)
			}
			for p, n := range tt.want {
				if got[p] != n {
					t.Errorf("pid %d: %d spans, want %d (all: %v)", p, got[p], n, got)
				}
			}
			if tt.lost > 0 && got[202]+rd.Unreadable != tt.lost {
				t.Errorf("pid 202: %d spans read and %d unreadable, want %d in all", got[202], rd.Unreadable, tt.lost)
			}
		})
	}
}

// TestBinaryVersionMismatch: a chunk of another major version stops the
// reader with an error that says so.
func TestBinaryVersionMismatch(t *testing.T) {
	record(t, Config{Writer: io.Discard})
	spans, ends := sampleSpans(10)
	c := newFakeProcess(301).chunk(spans, ends)
	c[4] = formatMajor + 1
	_, _, err := decodeAll(t, c)
	var ve *tracefile.VersionError
	if err == nil || !errorsAs(err, &ve) || !strings.Contains(err.Error(), "version 2."+strconv.Itoa(formatMinor)) {
		t.Fatalf("error %v, want a version error naming 2.%d", err, formatMinor)
	}
}

// TestBinarySample writes ../tracefile/testdata/sample.trace, two
// processes' chunks interleaved, and its JSON Lines view sample.jsonl,
// when AUTOTRACE_UPDATE_SAMPLE=1: the tracefile package's tests and fuzz
// seeds read them.
func TestBinarySample(t *testing.T) {
	if os.Getenv("AUTOTRACE_UPDATE_SAMPLE") != "1" {
		t.Skip("set AUTOTRACE_UPDATE_SAMPLE=1 to write ../tracefile/testdata/sample.*")
	}
	record(t, Config{Writer: io.Discard})
	all, allEnds := sampleSpans(44)
	var spans []*tspan
	var ends []int64
	for i, s := range all {
		if i%11 != 8 { // small enough to seed the fuzzer
			spans, ends = append(spans, s), append(ends, allEnds[i])
		}
	}
	a, b := newFakeProcess(1001), newFakeProcess(1002)
	var file []byte
	for k := 0; k < 40; k += 10 {
		file = append(file, a.chunk(spans[k:k+10], ends[k:k+10])...)
		file = append(file, b.chunk(spans[k:k+10], ends[k:k+10])...)
	}
	func() {
		defer func(p int) { pid = p }(pid)
		pid = a.pid
		a.out.Reset()
		a.e.finish(1, 1, []string{"open"})
		file = append(file, a.out.Bytes()...)
	}()
	view, _ := tracefile.JSONLines(bytes.NewReader(file))
	js, err := io.ReadAll(view)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"sample.trace": file, "sample.jsonl": js} {
		if err := os.WriteFile(filepath.Join("..", "tracefile", "testdata", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func errorsAs(err error, target **tracefile.VersionError) bool { return errors.As(err, target) }
