// Package autohttp carries autotrace's traces over HTTP: a client
// transport that sends the W3C traceparent and tracestate headers of each
// request's context, and header inject and extract functions for code that
// handles requests by hand.
//
// Instrumented handlers need none of this: the code autotrace generates for
// a function with an *http.Request parameter calls autotrace.StartRequest,
// which reads the headers itself. The helpers live outside the runtime
// package so that programs which never speak HTTP do not compile net/http.
package autohttp

import (
	"context"
	"net/http"
	"strings"

	autotrace "github.com/autotrace/autotrace/runtime"
)

// W3C header names in canonical form, so the header map is indexed directly.
const (
	traceparent = "Traceparent"
	tracestate  = "Tracestate"
)

// Inject sets the W3C traceparent and tracestate headers of h from the span
// in ctx, or, when ctx has none, from the process's TRACEPARENT and
// TRACESTATE, so that the server continues the trace. It leaves h alone
// when there is no trace to continue.
func Inject(ctx context.Context, h http.Header) {
	if tp, ts := autotrace.TraceContext(ctx); tp != "" {
		set(h, tp, ts)
	}
}

// set sets the W3C headers of h to tp and ts.
func set(h http.Header, tp, ts string) {
	h[traceparent] = []string{tp}
	if ts != "" {
		h[tracestate] = []string{ts}
	} else {
		delete(h, tracestate) // a stale one would belong to another trace
	}
}

// Extract returns ctx carrying the remote parent named by h's W3C
// traceparent header, with its tracestate, so that spans started from it
// continue the caller's trace; ctx itself when the header is missing,
// repeated or malformed.
func Extract(ctx context.Context, h http.Header) context.Context {
	tp := h[traceparent]
	if len(tp) != 1 { // the specification: several values are invalid
		return ctx
	}
	return autotrace.WithTraceContext(ctx, tp[0], strings.Join(h[tracestate], ","))
}

// Transport returns an http.RoundTripper that sends the trace context of
// each request's context (see Inject) and then calls base
// (http.DefaultTransport when nil).
func Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{base: base}
}

type transport struct{ base http.RoundTripper }

// RoundTrip implements http.RoundTripper. It clones the request before
// setting the headers, as a RoundTripper must not modify its request.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	tp, ts := autotrace.TraceContext(req.Context())
	if tp == "" {
		return t.base.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	set(req.Header, tp, ts)
	return t.base.RoundTrip(req)
}
