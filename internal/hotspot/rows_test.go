package hotspot

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSelectRows(t *testing.T) {
	stats := func() []Stat {
		return []Stat{ // as the aggregator gives them: most self first
			{Name: "a.big", Count: 1, Self: 50 * time.Millisecond, Total: 90 * time.Millisecond, P99: 1 * time.Millisecond},
			{Name: "b.mid", Count: 7, Self: 30 * time.Millisecond, Total: 30 * time.Millisecond, P99: 9 * time.Millisecond},
			{Name: "c.small", Count: 3, Self: 20 * time.Millisecond, Total: 95 * time.Millisecond, P99: 5 * time.Millisecond},
		}
	}
	tests := []struct {
		f        RowFilter
		want     string // names in order
		note     string
		selfPcts string // the SELF% column of the table
	}{
		{RowFilter{}, "a.big b.mid c.small", "", "50.0% 30.0% 20.0%"},
		{RowFilter{Sort: "count"}, "b.mid c.small a.big", "rows: sorted by count", "30.0% 20.0% 50.0%"},
		{RowFilter{Sort: "total"}, "c.small a.big b.mid", "rows: sorted by total", "20.0% 50.0% 30.0%"},
		{RowFilter{Sort: "p99"}, "b.mid c.small a.big", "rows: sorted by p99", "30.0% 20.0% 50.0%"},
		{RowFilter{Sort: "name"}, "a.big b.mid c.small", "rows: sorted by name", "50.0% 30.0% 20.0%"},
		{RowFilter{Only: regexp.MustCompile(`mid|small`)}, "b.mid c.small", `rows: 2 of 3 span names, those matching -only "mid|small"`, "30.0% 20.0%"},
		{RowFilter{Skip: regexp.MustCompile(`^a\.`), Sort: "count"}, "b.mid c.small", `rows: 2 of 3 span names, those not matching -skip "^a\\.", sorted by count`, "30.0% 20.0%"},
	}
	for _, tt := range tests {
		r := &Result{Stats: stats(), Spans: 11}
		if err := r.SelectRows(tt.f); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range r.Stats {
			names = append(names, s.Name)
		}
		if got := strings.Join(names, " "); got != tt.want || r.rowsNote != tt.note {
			t.Errorf("%+v: rows %q note %q, want %q %q", tt.f, got, r.rowsNote, tt.want, tt.note)
		}
		var b strings.Builder
		if err := r.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		var pcts []string
		for _, line := range strings.Split(b.String(), "\n") {
			if line == "" {
				break // the end of the table
			}
			for _, field := range strings.Fields(line) {
				if strings.HasSuffix(field, "%") && field != "SELF%" {
					pcts = append(pcts, field)
				}
			}
		}
		// Percentages are of every span's self time, whatever is shown.
		if got := strings.Join(pcts, " "); got != tt.selfPcts {
			t.Errorf("%+v: SELF%% %q, want %q", tt.f, got, tt.selfPcts)
		}
	}
	if err := (&Result{}).SelectRows(RowFilter{Sort: "nope"}); err == nil {
		t.Error("-sort nope accepted")
	}
}
