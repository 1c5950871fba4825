// Package otlp sends recorded autotrace traces (JSON Lines, DESIGN §6) to
// an OpenTelemetry collector or backend, after the fact, with OTLP/HTTP
// and its JSON encoding: POST {endpoint}/v1/traces with Content-Type
// application/json. It uses only the standard library, so neither the
// instrumented program nor the autotrace module depends on OpenTelemetry.
//
// The mapping: each process of a file (its pid) is one resource, with
// service.name from Options.Service, else OTEL_SERVICE_NAME, else the
// program name in the process record; each span line is one span with hex
// trace and span ids, its parent, string-encoded Unix nanoseconds, the
// line's attributes, status code 2 (error) with the message for failed and
// panicked spans, and an "exception" event for each error or panic.
//
// Requests carry at most Options.BatchSpans spans; a request that fails
// with a network error or a retryable status (429, 502, 503, 504) is
// retried briefly. Export reports what it sent, what the endpoint
// rejected and the lines it could not read.
package otlp
