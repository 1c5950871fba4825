package autotrace

import (
	"context"
	"encoding/binary"
	"errors"
	"sync/atomic"
)

// A Bridge connects the runtime to another tracing system, such as
// OpenTelemetry (the separate module github.com/autotrace/autotrace/otel
// installs one). Every field is optional. With no bridge installed the
// runtime behaves, and costs, as if this file did not exist, but for one
// pointer load in Start and StartRequest.
type Bridge struct {
	// Sink, when set, receives every recorded span, in batches, from the
	// runtime's single background goroutine (or the Flush or Shutdown
	// caller), and is shut down by Shutdown. With a Sink recording is on
	// even without a trace file.
	Sink Sink

	// Parent, when set, returns the span of the other system that ctx
	// carries, if any. Start and StartRequest ask it when ctx carries no
	// autotrace span, or carries one reached through other contexts (so
	// that a foreign span started under an autotrace span can be the
	// parent of the autotrace spans started under it): the foreign span
	// then becomes the parent of the new span unless it is that autotrace
	// span itself, as seen through Value.
	Parent func(ctx context.Context) (SpanContext, bool)

	// Key and Value, when both set, make every span context answer
	// ctx.Value(Key) with Value of the span's SpanContext, so that spans
	// the other system starts from an autotrace context are its children.
	// Value is called only on such lookups.
	Key   any
	Value func(SpanContext) any
}

// SpanContext identifies a span across tracing systems, as a W3C
// traceparent does.
type SpanContext struct {
	TraceID [16]byte
	SpanID  [8]byte
	Sampled bool
	Remote  bool // the span is in another process
	// TraceState is the W3C tracestate of the trace, as a header carries
	// it ("vendor=value,…"); "" when there is none.
	TraceState string
}

// A Sink receives recorded spans. Its methods are never called
// concurrently with each other.
type Sink interface {
	// ExportSpans receives a batch of ended spans. The slice and the
	// records' Attrs are reused after it returns: a Sink that keeps them
	// must copy them. It should not block for long: spans ending meanwhile
	// wait in the runtime's bounded buffers and are dropped when those fill.
	ExportSpans(spans []SpanRecord)
	// Shutdown is called once, by Shutdown, after the last batch.
	Shutdown(ctx context.Context) error
}

// A SpanRecord is one ended span, as a Sink receives it. Its fields are
// those of a span line of the trace file.
type SpanRecord struct {
	TraceID  [16]byte
	SpanID   [8]byte
	ParentID [8]byte // zero for the root of a new trace
	// TraceState is the W3C tracestate the trace arrived with, passed on
	// unchanged; "" when there is none.
	TraceState string
	Name       string
	Function   string // import-path-qualified function (code.function.name)
	File       string // module-relative file (code.file.path)
	Line       int    // line of the function (code.line.number); 0 if unknown
	Start      int64  // Unix nanoseconds
	End        int64  // Unix nanoseconds
	Status     Status
	Error      string // the error message, for StatusError
	// For StatusPanic: the panic value as printed, and the function and
	// "file:line" that panicked.
	PanicValue, PanicFunction, PanicLocation string
	Attrs                                    []Attr // set with SetAttr, SetInt…
}

// Status is how a span ended.
type Status uint8

// The statuses of a span.
const (
	StatusOK    = Status(statusOK)
	StatusError = Status(statusError)
	StatusPanic = Status(statusPanic)
)

// String returns the status as the trace file writes it.
func (s Status) String() string { return statusName(uint8(s)) }

var (
	// bridge is the installed bridge, read by Start, StartRequest and
	// Span.Value; nil when none.
	bridge atomic.Pointer[Bridge]
	// bridgeSink is the Sink a new recorder hands spans to. ctl guards it.
	bridgeSink Sink
)

// SetBridge installs b, once. When recording is already on, b's Sink
// receives the spans that end from then on; when recording is off and
// Configure has not been called, a Sink switches recording on with the
// environment's configuration (call Configure first to configure it).
// SetBridge after Shutdown or a second SetBridge returns an error.
func SetBridge(b Bridge) error {
	ctl.Lock()
	defer ctl.Unlock()
	switch {
	case bridge.Load() != nil:
		return errors.New("autotrace: a bridge is already installed")
	case ctl.down:
		return errors.New("autotrace: SetBridge after Shutdown")
	}
	if b.Key == nil || b.Value == nil {
		b.Key, b.Value = nil, nil
	}
	bridge.Store(&b)
	if b.Sink == nil {
		return nil
	}
	if r := active.Load(); r != nil {
		r.mu.Lock()
		r.exp.sink = b.Sink
		r.mu.Unlock()
		return nil
	}
	bridgeSink = b.Sink
	if mode.Load() == modeOff && !ctl.configured {
		r, err := newRecorder(mergeEnv(Config{}))
		if err != nil {
			return err
		}
		setActive(r)
	}
	return nil
}

// foreignParent returns the span of the bridged system that ctx carries
// and that should parent a span started from ctx instead of p, the
// autotrace span of ctx (nil if none).
func foreignParent(b *Bridge, ctx context.Context, p parent) (remote, bool) {
	if b.Parent == nil {
		return remote{}, false
	}
	if _, direct := ctx.(*spanCtx); direct {
		return remote{}, false // nothing can sit between ctx and its span
	}
	sc, ok := b.Parent(ctx)
	if !ok {
		return remote{}, false
	}
	rem := remote{
		trace:   traceID{binary.BigEndian.Uint64(sc.TraceID[:8]), binary.BigEndian.Uint64(sc.TraceID[8:])},
		span:    binary.BigEndian.Uint64(sc.SpanID[:]),
		sampled: sc.Sampled,
		state:   cleanTracestate(sc.TraceState),
	}
	if rem.trace.isZero() || rem.span == 0 || (p.trace == rem.trace && p.id == rem.span) {
		return remote{}, false
	}
	return rem, true
}

// spanContext returns p as the bridged system sees it.
func (p parent) spanContext() SpanContext {
	var sc SpanContext
	sc.TraceID, sc.SpanID = p.trace.bytes(), spanIDBytes(p.id)
	sc.Sampled = p.flags&flagSampled != 0
	sc.Remote = p.flags&flagRemote != 0
	sc.TraceState = p.state
	return sc
}

// bridgeValue answers a context lookup of the bridge's key on a context
// that carries p.
func bridgeValue(p parent, key any) (any, bool) {
	b := bridge.Load()
	if b == nil || b.Key == nil || key != b.Key {
		return nil, false
	}
	return b.Value(p.spanContext()), true
}

// sinkBatch is the most records handed to a Sink in one call.
const sinkBatch = 512

// record converts an ended span for the sink, handing over a full batch.
// Only the exporter calls it, under recorder.mu.
func (e *exporter) record(r *rec, s *spanExtra) {
	site := recSite(r, s)
	rec := SpanRecord{
		Name: site.name, Function: site.function, Status: Status(r.status),
		Start: e.conv.wall(r.start),
	}
	rec.End = rec.Start + e.conv.dur(r.end-r.start)
	rec.TraceID, rec.SpanID, rec.ParentID = r.trace.bytes(), spanIDBytes(r.id), spanIDBytes(r.parentID)
	file, line := splitLocation(site.location)
	rec.File, rec.Line = file, max(line, 0)
	if s != nil { // the span has more than r holds
		rec.TraceState = s.state
		if x := s; x != nil {
			rec.Error = x.err
			if r.status == statusPanic {
				rec.PanicValue, rec.PanicFunction, rec.PanicLocation = x.panicVal, x.panicFn, x.panicLoc
			}
			if len(x.attrs) > 0 {
				from := len(e.attrBuf)
				e.attrBuf = append(e.attrBuf, x.attrs...)
				rec.Attrs = e.attrBuf[from:len(e.attrBuf):len(e.attrBuf)]
			}
		}
	}
	e.recs = append(e.recs, rec)
	if len(e.recs) >= sinkBatch {
		e.flushSink()
	}
}

// flushSink hands the converted records to the sink.
func (e *exporter) flushSink() {
	if len(e.recs) == 0 {
		return
	}
	e.sink.ExportSpans(e.recs)
	clear(e.recs) // let the strings go
	e.recs, e.attrBuf = e.recs[:0], e.attrBuf[:0]
}

// closeSink hands over the last records and shuts the sink down. With no
// trace file to write the count to, spans dropped because the buffers were
// full are reported on stderr.
func (e *exporter) closeSink(ctx context.Context, dropped uint64) error {
	if e.sink == nil {
		return nil
	}
	if dropped > 0 && e.out == nil {
		warnf("%d spans dropped: the buffers were full (see Config.BufferSize)", dropped)
	}
	e.flushSink()
	return e.sink.Shutdown(ctx)
}
