package hotspot

import (
	"reflect"
	"testing"
	"time"
)

func TestAnalyze(t *testing.T) {
	spans := []Span{
		sp(1, 3, 2, "db.Query", 20, 30),               // 20..50
		withPid(sp(1, 5, 4, "worker.Run", 65, 30), 2), // 65..95, other process
		sp(1, 4, 2, "rpc.Call", 60, 40),               // 60..100
		withStatus(sp(1, 6, 2, "cache.Get", 10, 5), StatusError),
		sp(1, 2, 1, "svc.Do", 10, 100), // 10..110
		sp(1, 7, 1, "audit", 0, 20),    // 0..20
		withStatus(sp(1, 1, 0, "api.Handle", 0, 120), StatusPanic),
	}
	got := Analyze(spans)
	if got.Root != "api.Handle" || got.Spans != 7 || got.Errors != 1 || got.Panics != 1 || got.Dur != 120 || !reflect.DeepEqual(got.Pids, []int{1, 2}) {
		t.Errorf("summary = %+v", got)
	}
	var path []string
	var self []time.Duration
	var depth []int
	for _, s := range got.Path {
		path = append(path, s.Name)
		self = append(self, s.Self)
		depth = append(depth, s.Depth)
	}
	// svc.Do waited for rpc.Call, which started after db.Query ended,
	// which started after cache.Get ended; audit overlaps svc.Do's start.
	wantPath := []string{"api.Handle", "svc.Do", "cache.Get", "db.Query", "rpc.Call", "worker.Run"}
	wantSelf := []time.Duration{10, 100 - 35 - 40, 5, 30, 10, 30}
	wantDepth := []int{0, 1, 2, 2, 2, 3}
	if !reflect.DeepEqual(path, wantPath) || !reflect.DeepEqual(self, wantSelf) || !reflect.DeepEqual(depth, wantDepth) {
		t.Errorf("critical path %v self %v depth %v\nwant %v %v %v", path, self, depth, wantPath, wantSelf, wantDepth)
	}
}

func TestAnalyzeCycle(t *testing.T) {
	// Malformed input: two spans that name each other as parent.
	got := Analyze([]Span{sp(1, 1, 2, "a", 0, 10), sp(1, 2, 1, "b", 0, 10)})
	if len(got.Path) > 2 {
		t.Errorf("path %v loops", got.Path)
	}
}
