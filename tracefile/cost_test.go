package tracefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCostEarly: the cost record's early fields (after fold_record_ns)
// make inner negative, for the ctx-less path and a folded call, and the
// JSON Lines view writes them back as early_ns; a record without them
// (1.2) keeps its inners.
func TestCostEarly(t *testing.T) {
	for _, tt := range []struct {
		name   string
		fields []uint64
		want   Cost
		json   string
	}{
		{"1.2", []uint64{5, 40, 6, 60, 3, 12, 20}, Cost{Pid: 42, InnerNs: 5, OuterNs: 40, FoldInnerNs: 3, FoldOuterNs: 12, FoldRecordNs: 20}, `"inner_ns":5,`},
		{"early", []uint64{0, 25, 5, 43, 0, 24, 30, 4, 0, 3}, Cost{Pid: 42, InnerNs: -4, OuterNs: 25, FoldInnerNs: -3, FoldOuterNs: 24, FoldRecordNs: 30}, `"early_ns":4,"fold_early_ns":3}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var cost []byte
			for _, v := range tt.fields {
				cost = binary.AppendUvarint(cost, v)
			}
			dec := NewReader(bytes.NewReader(chunk(42, flagFirst, record(4, cost))))
			var got []Cost
			dec.Cost = func(c Cost) { got = append(got, c) }
			for {
				if _, _, err := dec.Next(); errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					t.Fatal(err)
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Fatalf("costs %+v, want %+v", got, tt.want)
			}
			if j := string(AppendCostJSON(nil, got[0])); !strings.Contains(j, tt.json) || strings.Contains(j, "-") {
				t.Errorf("JSON %s: want %s in it and no negative field", j, tt.json)
			}
		})
	}
}
