package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/report/internal/gentrace"
)

// TestHTMLSelfContained: one page, nothing fetched, the data readable.
func TestHTMLSelfContained(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "html", "../testdata/report/shop.jsonl", "../testdata/report/worker.jsonl"}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	page := out.String()
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<(script|link|img|iframe)[^>]+(src|href)=`),
		regexp.MustCompile(`(?i)@import|url\(\s*['"]?(https?:)?//`),
		regexp.MustCompile(`(?i)\bfetch\(|XMLHttpRequest|WebSocket`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("page fetches something: %q", m)
		}
	}
	if strings.Count(page, "</script>") != 2 {
		t.Errorf("want exactly 2 script elements (data, code), got %d", strings.Count(page, "</script>"))
	}
	d := embeddedData(t, page)
	if len(d.Hotspots) != 12 || len(d.Traces) != 5 || d.Summary.Spans != 26 || d.Summary.Malformed != 3 {
		t.Errorf("data: %d hotspots, %d traces, %+v", len(d.Hotspots), len(d.Traces), d.Summary)
	}
	// The timeline of the cross-process trace has both processes, with lanes.
	tr := d.Traces[0]
	if len(tr.Lanes) != 2 || tr.Lanes[0] != [2]int{4312, 3} || tr.Lanes[1] != [2]int{4313, 1} {
		t.Errorf("lanes of the slowest trace: %v", tr.Lanes)
	}
}

func embeddedData(t *testing.T, page string) *htmlData {
	t.Helper()
	const open = `<script type="application/json" id="data">`
	i := strings.Index(page, open)
	j := strings.Index(page[i:], "</script>")
	if i < 0 || j < 0 {
		t.Fatal("no data element")
	}
	var d htmlData
	if err := json.Unmarshal([]byte(page[i+len(open):i+j]), &d); err != nil {
		t.Fatalf("data: %v", err)
	}
	return &d
}

// TestHTMLBounded: a large input gives a page of bounded size.
func TestHTMLBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 60k spans")
	}
	path := filepath.Join(t.TempDir(), "big.jsonl")
	f, _ := os.Create(path)
	gentrace.Write(f, gentrace.Options{Spans: 60000, Seed: 3})
	f.Close()
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "html", "-top", "5", path}, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	d := embeddedData(t, out.String())
	run, _ := json.Marshal(d.Run)
	if rest := out.Len() - len(run); rest > 400<<10 || len(run) > 2<<20 {
		t.Errorf("page is %d KB for 60k spans (%d KB of it the run timeline)", out.Len()>>10, len(run)>>10)
	}
	if len(d.Traces) != 5 {
		t.Errorf("%d traces in the timeline, want 5 (-top)", len(d.Traces))
	}
}
