package tracefile

// SpanProblem is the one rule every reader of a trace holds a span to,
// whichever format it came in (report, cat's decoder, OTLP export): ""
// when the span may be used, else what is wrong with it. A span must have
// its start time too; the JSON readers check that a line has one. An
// empty name is the program's choice (Start(ctx, "")), not a fault.
func SpanProblem(traceID [16]byte, spanID [8]byte, durNs int64) string {
	switch {
	case traceID == [16]byte{}:
		return "zero trace_id"
	case spanID == [8]byte{}:
		return "zero span_id"
	case durNs < 0:
		return "negative dur_ns"
	}
	return ""
}
