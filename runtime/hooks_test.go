package autotrace

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// memSink keeps what a Sink receives.
type memSink struct {
	mu    sync.Mutex
	recs  []SpanRecord
	calls int
	shut  int
}

func (m *memSink) ExportSpans(spans []SpanRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	for _, r := range spans {
		r.Attrs = append([]Attr(nil), r.Attrs...)
		m.recs = append(m.recs, r)
	}
}

func (m *memSink) Shutdown(context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.shut++
	return nil
}

func (m *memSink) byName(tb testing.TB, name string) SpanRecord {
	tb.Helper()
	Flush()
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		if r.Name == name {
			return r
		}
	}
	tb.Fatalf("no span %q among %d exported", name, len(m.recs))
	return SpanRecord{}
}

// bridged records to nowhere but a new memSink, with b's hooks.
func bridged(tb testing.TB, b Bridge) *memSink {
	tb.Helper()
	record(tb, Config{Writer: io.Discard})
	sink := new(memSink)
	b.Sink = sink
	if err := SetBridge(b); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctl.Lock()
		bridge.Store(nil)
		bridgeSink = nil
		ctl.Unlock()
	})
	return sink
}

type foreignKey struct{}

// foreign is a span of the bridged system, carried under foreignKey.
var foreign = SpanContext{
	TraceID: [16]byte{0xaa, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
	SpanID:  [8]byte{0xbb, 1, 2, 3, 4, 5, 6, 7},
	Sampled: true,
}

// testBridge reads foreignKey as the bridged system's current span and
// answers it for autotrace spans too.
func testBridge() Bridge {
	return Bridge{
		Parent: func(ctx context.Context) (SpanContext, bool) {
			sc, ok := ctx.Value(foreignKey{}).(SpanContext)
			return sc, ok
		},
		Key:   foreignKey{},
		Value: func(sc SpanContext) any { return sc },
	}
}

func TestSinkRecords(t *testing.T) {
	sink := bridged(t, Bridge{})
	func() (err error) {
		// A name no other test uses: a site keeps the function and file
		// of the first span of its name (go test -count 2 runs others first).
		ctx, root := Start(context.Background(), "sink.root")
		defer root.EndErr(&err)
		root.SetAttr("k", "v")
		func() {
			defer func() { recover() }()
			_, s := Start(ctx, "boom")
			defer s.End()
			panic("kaboom")
		}()
		return errors.New("failed")
	}()
	root := sink.byName(t, "sink.root")
	boom := sink.byName(t, "boom")
	tests := []struct {
		name      string
		got, want any
	}{
		{"root status", root.Status, StatusError},
		{"root error", root.Error, "failed"},
		{"root attrs", root.Attrs, []Attr{{"k", StringValue("v")}}},
		{"root parent", root.ParentID, [8]byte{}},
		{"root function", root.Function, "github.com/autotrace/autotrace/runtime.TestSinkRecords.func1"},
		{"root file", root.File, "runtime/hooks_test.go"},
		{"root line set", root.Line > 0, true},
		{"root timing", root.End >= root.Start && root.Start > 0, true},
		{"child trace", boom.TraceID, root.TraceID},
		{"child parent", boom.ParentID, root.SpanID},
		{"child status", boom.Status, StatusPanic},
		{"child panic value", boom.PanicValue, "kaboom"},
		{"child panic function", boom.PanicFunction, "github.com/autotrace/autotrace/runtime.TestSinkRecords.func1.1"},
		{"child inside root", boom.Start >= root.Start && boom.End <= root.End, true},
		{"status string", StatusPanic.String(), "panic"},
	}
	for _, tt := range tests {
		if !equalAny(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if sink.shut != 1 {
		t.Errorf("sink shut down %d times, want 1", sink.shut)
	}
}

func equalAny(a, b any) bool {
	if as, ok := a.([]Attr); ok {
		bs := b.([]Attr)
		if len(as) != len(bs) {
			return false
		}
		for i := range as {
			if as[i] != bs[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestBridgeParents(t *testing.T) {
	sink := bridged(t, testBridge())
	ctx, a := Start(context.Background(), "a")
	ap, _ := spanOf(ctx)
	aSC := ap.spanContext()
	other := foreign
	other.SpanID[7] = 0xcc
	tests := []struct {
		name       string
		ctx        context.Context
		wantTrace  [16]byte
		wantParent [8]byte
	}{
		{"foreign only", context.WithValue(context.Background(), foreignKey{}, foreign), foreign.TraceID, foreign.SpanID},
		{"autotrace directly", ctx, aSC.TraceID, aSC.SpanID},
		{"autotrace seen through foreign key", context.WithValue(ctx, struct{}{}, 1), aSC.TraceID, aSC.SpanID},
		{"foreign under autotrace", context.WithValue(ctx, foreignKey{}, other), other.TraceID, other.SpanID},
	}
	for i, tt := range tests {
		name := "child" + string(rune('0'+i))
		_, s := Start(tt.ctx, name)
		s.End()
		r := sink.byName(t, name)
		if r.TraceID != tt.wantTrace || r.ParentID != tt.wantParent {
			t.Errorf("%s: trace %x parent %x, want %x %x", tt.name, r.TraceID, r.ParentID, tt.wantTrace, tt.wantParent)
		}
	}
	// StartRequest: a foreign span in the request's context parents it.
	req := httptest.NewRequest("GET", "/", nil)
	req = req.WithContext(context.WithValue(context.Background(), foreignKey{}, foreign))
	_, s := StartRequest(req, "handler")
	s.End()
	a.End()
	if r := sink.byName(t, "handler"); r.ParentID != foreign.SpanID || r.TraceID != foreign.TraceID {
		t.Errorf("handler: trace %x parent %x, want the foreign span", r.TraceID, r.ParentID)
	}
	// The span context answers the bridge's key with its own identity.
	if got := ctx.Value(foreignKey{}); got != aSC {
		t.Errorf("Value(key) = %v, want %v", got, aSC)
	}
}

func TestSetBridgeOnce(t *testing.T) {
	bridged(t, Bridge{})
	if err := SetBridge(Bridge{}); err == nil {
		t.Error("second SetBridge succeeded")
	}
}

// TestSinkAlone: a sink switches recording on with no trace file.
func TestSinkAlone(t *testing.T) {
	clearEnv(t)
	reset(t)
	t.Cleanup(func() {
		reset(t)
		ctl.Lock()
		bridge.Store(nil)
		bridgeSink = nil
		ctl.Unlock()
	})
	sink := new(memSink)
	if err := SetBridge(Bridge{Sink: sink}); err != nil {
		t.Fatal(err)
	}
	_, s := Start(context.Background(), "alone")
	s.End()
	sink.byName(t, "alone")
}

// blockingSink holds the exporter in its first batch until released.
type blockingSink struct {
	memSink
	entered, release chan struct{}
	once             sync.Once
}

func (b *blockingSink) ExportSpans(spans []SpanRecord) {
	b.once.Do(func() {
		close(b.entered)
		<-b.release
	})
	b.memSink.ExportSpans(spans)
}

// TestSinkDropsReported: with no trace file, spans dropped because the
// exporter fell behind are reported on stderr at Shutdown.
func TestSinkDropsReported(t *testing.T) {
	clearEnv(t)
	reset(t)
	var warned bytes.Buffer
	old := warnOut
	warnOut = &warned
	t.Cleanup(func() {
		reset(t)
		warnOut = old
		ctl.Lock()
		bridge.Store(nil)
		bridgeSink = nil
		ctl.Unlock()
	})
	sink := &blockingSink{entered: make(chan struct{}), release: make(chan struct{})}
	if err := SetBridge(Bridge{Sink: sink}); err != nil {
		t.Fatal(err)
	}
	if err := Configure(Config{BufferSize: 64, FlushInterval: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	_, s := Start(context.Background(), "first")
	s.End()
	<-sink.entered // the exporter is stuck in the first batch
	for range 1000 {
		_, s := Start(context.Background(), "flood")
		s.End()
	}
	close(sink.release)
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warned.String(), "spans dropped: the buffers were full") {
		t.Errorf("stderr %q does not report the drops", warned.String())
	}
}
