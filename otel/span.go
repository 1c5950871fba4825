package autootel

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// roSpan is an ended autotrace span as the SDK's processors and exporters
// read it: one allocation, with room for the code.* attributes inside.
type roSpan struct {
	// The interface is embedded, unset, only for its unexported method,
	// which no one calls: every exported method is defined below.
	sdktrace.ReadOnlySpan

	name       string
	sc, parent trace.SpanContext
	start, end time.Time
	attrs      []attribute.KeyValue
	events     []sdktrace.Event
	status     sdktrace.Status
	res        *resource.Resource
	codeAttrs  [3]attribute.KeyValue
}

// Name returns the span name.
func (s *roSpan) Name() string { return s.name }

// SpanContext returns the span's identity.
func (s *roSpan) SpanContext() trace.SpanContext { return s.sc }

// Parent returns the parent's identity, invalid for a root.
func (s *roSpan) Parent() trace.SpanContext { return s.parent }

// SpanKind returns internal: autotrace spans are function calls.
func (s *roSpan) SpanKind() trace.SpanKind { return trace.SpanKindInternal }

// StartTime returns when the span started.
func (s *roSpan) StartTime() time.Time { return s.start }

// EndTime returns when the span ended.
func (s *roSpan) EndTime() time.Time { return s.end }

// Attributes returns the code.* attributes and those set with SetAttr.
func (s *roSpan) Attributes() []attribute.KeyValue { return s.attrs }

// Links returns none.
func (s *roSpan) Links() []sdktrace.Link { return nil }

// Events returns the exception event of a failed span, if any.
func (s *roSpan) Events() []sdktrace.Event { return s.events }

// Status returns Error for a span that failed or panicked, else Unset.
func (s *roSpan) Status() sdktrace.Status { return s.status }

// InstrumentationScope names the autotrace runtime.
func (s *roSpan) InstrumentationScope() instrumentation.Scope { return scope }

// InstrumentationLibrary names the autotrace runtime (the deprecated form
// of InstrumentationScope).
func (s *roSpan) InstrumentationLibrary() instrumentation.Library { //nolint:staticcheck // required by the interface
	return instrumentation.Library(scope) //nolint:staticcheck // required by the interface
}

// Resource returns the process's resource.
func (s *roSpan) Resource() *resource.Resource { return s.res }

// DroppedAttributes returns 0: the runtime bounds attributes itself.
func (s *roSpan) DroppedAttributes() int { return 0 }

// DroppedLinks returns 0.
func (s *roSpan) DroppedLinks() int { return 0 }

// DroppedEvents returns 0.
func (s *roSpan) DroppedEvents() int { return 0 }

// ChildSpanCount returns 0: the runtime does not count children.
func (s *roSpan) ChildSpanCount() int { return 0 }
