// Package autotrace is the runtime that code instrumented by autotrace
// calls: it starts and ends spans, propagates W3C trace context through
// context.Context, *http.Request, the current goroutine, HTTP headers and
// child processes, and exports finished spans as JSON Lines.
//
// Generated code imports it as
//
//	autotrace "github.com/autotrace/autotrace/runtime"
//
// and wraps each instrumented function body as
//
//	ctx, __span := autotrace.Start(ctx, "shop.(*Cart).Add", "example.com/shop.(*Cart).Add", "shop/cart.go:31")
//	defer __span.EndErr(&err)
//
// Recording is off by default: a span then costs a few nanoseconds and
// allocates nothing. It is switched on by Configure or, at first use, by the
// environment: AUTOTRACE_OUT=FILE appends spans to FILE, AUTOTRACE_SAMPLE=F
// keeps a fraction F of root traces, AUTOTRACE_SUMMARY=1 prints a hotspot
// table on stderr at Shutdown, and TRACEPARENT makes root spans part of the
// caller's trace.
//
// A recorded span costs one allocation. Finished spans go to fixed-size
// per-P buffers; a single background goroutine encodes them and appends
// them to the trace file with one write per batch of whole lines. When the
// buffers are full, spans are dropped and counted, never waited for.
package autotrace
