package otlp

import (
	"context"
	"testing"
)

// TestFoldRecordSkipped: export carries spans; a fold record (calls the
// runtime folded) is neither a span nor a problem.
func TestFoldRecordSkipped(t *testing.T) {
	clearOTELEnv(t)
	span := `{"trace_id":"1af7651916cd43dd8448eb211c80319c","span_id":"10f067aa0ba902b7","parent_id":"","name":"parent","start_ns":1,"dur_ns":100,"pid":1,"status":"ok"}`
	fold := `{"fold":{"trace_id":"1af7651916cd43dd8448eb211c80319c","parent_id":"10f067aa0ba902b7","name":"leaf","start_ns":2,"dur_ns":50,"calls":5,"pid":1,"attrs":{}}}`
	path := writeTrace(t, fold+"\n"+span+"\n")
	var c collector
	res, err := Export(context.Background(), Options{Endpoint: c.start(t)}, path)
	if err != nil {
		t.Fatal(err)
	}
	if res.Spans != 1 || len(res.Problems) != 0 {
		t.Errorf("exported %d spans, problems %v; want 1 and none", res.Spans, res.Problems)
	}
}
