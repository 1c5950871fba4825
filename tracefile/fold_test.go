package tracefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

// foldTrace is a chunk written by hand from docs/trace-format.md: a site,
// a cost record of 1.2 (a folded call's cost after the four of 1.1), a
// fold record of 12 calls under the parent "PARENT01" and that parent.
func foldTrace() []byte {
	var p []byte
	site := binary.AppendUvarint(nil, 3)
	site = str(site, "shop.price")
	site = str(site, "example.com/shop.price")
	site = str(site, "shop/price.go")
	site = binary.AppendUvarint(site, 11)
	p = append(p, record(1, site)...)
	var cost []byte
	for _, v := range []uint64{5, 40, 6, 60, 3, 12, 20} {
		cost = binary.AppendUvarint(cost, v)
	}
	p = append(p, record(4, cost)...)
	trace := []byte("0123456789abcdef")
	fold := append([]byte(nil), trace...)
	fold = append(fold, "PARENT01"...)
	fold = binary.AppendUvarint(fold, 3)
	fold = binary.AppendVarint(fold, 1_700_000_000_000_000_100)
	fold = binary.AppendUvarint(fold, 12)
	fold = binary.AppendUvarint(fold, 480)
	fold = append(fold, "a later field"...)
	p = append(p, record(5, fold)...)
	p = append(p, 0x80|0|0<<2)
	p = append(p, "PARENT01"...)
	p = append(p, trace...)
	p = binary.AppendUvarint(p, 3)
	p = binary.AppendVarint(p, 1_700_000_000_000_000_000)
	p = binary.AppendUvarint(p, 2000)
	return chunk(42, flagFirst, p)
}

// TestFoldRecord: a reader that asks for fold records (Folds) gets the
// record as a span with Calls, its site's name and its cost's fold
// figures; one that does not skips it as a 1.1 reader does, and reads the
// parent alike; the JSON Lines view shows the record as a fold line.
func TestFoldRecord(t *testing.T) {
	for _, folds := range []bool{true, false} {
		dec := NewReader(bytes.NewReader(foldTrace()))
		dec.Folds = folds
		var costs []Cost
		dec.Cost = func(c Cost) { costs = append(costs, c) }
		var got []Span
		for {
			sp, _, err := dec.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, *sp)
		}
		if dec.Unreadable != 0 || dec.Torn != 0 {
			t.Fatalf("Folds %v: %d unreadable, %d torn", folds, dec.Unreadable, dec.Torn)
		}
		if len(costs) != 1 || costs[0] != (Cost{Pid: 42, InnerNs: 5, OuterNs: 40, FoldInnerNs: 3, FoldOuterNs: 12, FoldRecordNs: 20}) {
			t.Errorf("Folds %v: costs %+v", folds, costs)
		}
		want := 1
		if folds {
			want = 2
		}
		if len(got) != want || got[len(got)-1].Name != "shop.price" || got[len(got)-1].Calls != 0 || got[len(got)-1].DurNs != 2000 {
			t.Fatalf("Folds %v: %+v; want %d records, the parent last", folds, got, want)
		}
		if !folds {
			continue
		}
		f := got[0]
		if f.Calls != 12 || f.DurNs != 480 || f.StartNs != 1_700_000_000_000_000_100 || string(f.ParentID[:]) != "PARENT01" ||
			f.Name != "shop.price" || f.Function != "example.com/shop.price" || f.Line != 10 || f.Pid != 42 {
			t.Errorf("fold record read as %+v", f)
		}
	}
	view, _ := readView(t, foldTrace())
	const line = `{"fold":{"trace_id":"30313233343536373839616263646566","parent_id":"504152454e543031","name":"shop.price","start_ns":1700000000000000100,"dur_ns":480,"calls":12,"pid":42,"attrs":{"code.function.name":"example.com/shop.price","code.file.path":"shop/price.go","code.line.number":10}}}` + "\n"
	if !bytes.Contains(view, []byte(line)) {
		t.Errorf("JSON Lines view:\n%s\nwant the line\n%s", view, line)
	}
	if !bytes.Contains(view, []byte(`"fold_inner_ns":3,"fold_outer_ns":12,"fold_record_ns":20}}`)) {
		t.Errorf("JSON Lines view's cost line lacks the fold cost:\n%s", view)
	}
}
