// Package autotrace is the runtime that code instrumented by autotrace
// calls: it starts and ends spans, propagates W3C trace context through
// context.Context, *http.Request, the current goroutine, HTTP headers and
// child processes, and exports finished spans in a compact binary format
// (docs/trace-format.md; `autotrace cat` prints it as JSON Lines), or as
// JSON Lines directly when the output's name ends in ".jsonl".
//
// Generated code imports it as
//
//	autotrace "github.com/autotrace/autotrace/runtime"
//
// and wraps each instrumented function body as
//
//	ctx, __span := autotrace.Start(ctx, "shop.(*Cart).Add")
//	defer __span.EndErr(&err)
//
// Recording is off by default: a span then costs a few nanoseconds and
// allocates nothing. It is switched on by Configure or, at first use, by the
// environment: AUTOTRACE_OUT=FILE appends spans to FILE (in the binary
// trace format, or JSON Lines for a FILE ending in .jsonl or with
// AUTOTRACE_FORMAT=jsonl), AUTOTRACE_SAMPLE=F
// keeps a fraction F of root traces, AUTOTRACE_SUMMARY=1 prints a hotspot
// table on stderr at Shutdown, and TRACEPARENT makes root spans part of the
// caller's trace. AUTOTRACE_EXECTRACE=FILE also records a runtime/trace
// execution trace in which each recorded span is a task and a region, and
// AUTOTRACE_SLOW=DURATION snapshots the runtime/trace flight recorder when
// a span runs longer (see exectrace.go); `autotrace report` reads both.
// AUTOTRACE_FOLD=off writes every span; by default a hot tiny function's
// calls are counted into one fold record per parent (see fold.go).
//
// A recorded span costs one allocation. Finished spans are copied into
// fixed-size per-P buffers of pointer-free records, so that the spans
// themselves die young; a single background goroutine encodes them and
// appends them to the trace file with one write per batch of whole lines,
// every second or sooner when a buffer fills, using at most a quarter of a
// CPU.
// When the buffers are full, spans are dropped and counted, never waited
// for. Shutdown (or EndMain, which generated code defers in main.main)
// writes the rest, a process record and, if asked for, the summary.
//
// Other tracing systems connect through SetBridge (hooks.go): a Sink then
// receives the recorded spans in batches from the background goroutine,
// and spans of the other system in a context parent autotrace spans and
// the other way round. The module github.com/autotrace/autotrace/otel is
// such a bridge to OpenTelemetry; autotrace export (package otlp) sends
// recorded trace files to an OTLP endpoint instead.
//
// Limits, by design:
//   - A span must end on the goroutine that started it, as generated code
//     does; a span ended elsewhere leaves its goroutine's StartHere parent
//     stale until that goroutine's enclosing span ends.
//   - In a trace that is not sampled, the first span in the process is
//     still allocated (it carries the decision to its descendants); the
//     others cost about as much as recording off.
//   - Under the legacy GODEBUG=panicnil=1, recover cannot tell panic(nil)
//     from no panic, so End ends such a panic as a normal return.
package autotrace
