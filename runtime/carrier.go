package autotrace

import "context"

// A trace crosses process boundaries as two W3C Trace Context strings,
// whatever carries them: HTTP headers (StartRequest here; the autohttp
// package for clients and hand-written servers), the TRACEPARENT and
// TRACESTATE environment variables (Command), or any carrier a program
// writes itself, such as message headers or RPC metadata.

// W3C header names in canonical form, so a header map is indexed directly.
const (
	traceparentHeader = "Traceparent"
	tracestateHeader  = "Tracestate"
)

// TraceContext returns the W3C traceparent and tracestate to send with a
// call made under ctx: those of the span ctx carries, or when it carries
// none, the process's own TRACEPARENT and TRACESTATE, so that a process
// started inside a trace passes it on. Both are "" when there is nothing to
// propagate. tracestate is passed on as received: autotrace adds no member.
func TraceContext(ctx context.Context) (traceparent, tracestate string) {
	if ctx != nil {
		if p, ok := spanOf(ctx); ok {
			return formatTraceparent(p.trace, p.id, p.flags&flagSampled != 0), p.state
		}
	}
	current() // TRACEPARENT and TRACESTATE are read at first use
	if envParent.ok {
		return envParent.raw, envParent.state
	}
	return "", ""
}

// WithTraceContext returns ctx carrying the remote parent that traceparent
// names, and its tracestate, so that spans started from ctx continue the
// caller's trace; ctx itself when traceparent is missing or malformed.
// tracestate may join the values of several headers with commas.
func WithTraceContext(ctx context.Context, traceparent, tracestate string) context.Context {
	rem, ok := parseTraceparent(traceparent)
	if !ok {
		return ctx
	}
	rem.state = cleanTracestate(tracestate)
	if ctx == nil {
		ctx = context.Background()
	}
	c := &parentCtx{Context: ctx, p: parent{trace: rem.trace, id: rem.span, flags: flagRemote, state: rem.state}}
	if rem.sampled {
		c.p.flags |= flagSampled
	}
	return c
}

// headerParent parses the W3C headers of h, an http.Header.
func headerParent(h map[string][]string) (remote, bool) {
	v := h[traceparentHeader]
	if len(v) != 1 { // the specification: several values are invalid
		return remote{}, false
	}
	rem, ok := parseTraceparent(v[0])
	if ok {
		rem.state = cleanTracestate(h[tracestateHeader]...)
	}
	return rem, ok
}
