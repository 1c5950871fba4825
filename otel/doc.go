// Package autootel sends the spans of autotrace-instrumented code live to
// OpenTelemetry: to any SpanExporter, by default the OTLP exporter that the
// standard OTEL_* environment variables configure.
//
// A program opts in by importing package auto for its side effect,
//
//	import _ "github.com/autotrace/autotrace/otel/auto"
//
// or by calling Install itself. Either way the runtime hands every recorded
// span, in batches from its single background goroutine, to the bridge,
// which converts them to OpenTelemetry spans with the same trace, span and
// parent ids, timing, status (an error or a panic is status Error with an
// "exception" event) and attributes (code.function.name, code.file.path,
// code.line.number and those set with SetAttr), and exports them in
// batches from one goroutine of its own.
//
// Autotrace and OpenTelemetry spans mix in one tree, in both directions:
// an instrumented function called with a context that carries an
// OpenTelemetry span (from otelhttp, otelgrpc or a hand-written
// tracer.Start) is that span's child, and an OpenTelemetry span started
// from a context an instrumented function received is the autotrace span's
// child. Install also provides a TracerProvider that exports through the
// same pipeline, and package auto makes it the global one, with W3C trace
// context and baggage propagation.
//
// Environment, as the OpenTelemetry specification defines it:
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES for the resource;
// OTEL_TRACES_EXPORTER (otlp, the default, or none);
// OTEL_EXPORTER_OTLP_PROTOCOL or OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
// (http/protobuf, the default, or grpc); OTEL_EXPORTER_OTLP_ENDPOINT,
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS and the
// rest of the exporter's variables; OTEL_BSP_MAX_QUEUE_SIZE,
// OTEL_BSP_MAX_EXPORT_BATCH_SIZE and OTEL_BSP_EXPORT_TIMEOUT for batching.
// AUTOTRACE_OUT and the other AUTOTRACE_* variables keep working alongside.
package autootel
