package autotrace

import (
	"context"
	"net/http"
)

// traceparentHeader is the canonical form of the W3C header name, so the
// header map can be indexed directly.
const traceparentHeader = "Traceparent"

// InjectHeader sets the W3C traceparent header of h from the span in ctx,
// or, when ctx has none, from the process's TRACEPARENT, so that the
// server continues the trace.
func InjectHeader(ctx context.Context, h http.Header) {
	if tp := traceparentOf(ctx); tp != "" {
		h[traceparentHeader] = []string{tp}
	}
}

// ExtractHeader returns ctx carrying the remote parent of h's W3C
// traceparent header, so that spans started from it continue the caller's
// trace; ctx itself when the header is missing or malformed.
func ExtractHeader(ctx context.Context, h http.Header) context.Context {
	rem, ok := headerParent(h)
	if !ok {
		return ctx
	}
	if ctx == nil {
		ctx = context.Background()
	}
	s := &Span{ctx: ctx, trace: rem.trace, id: rem.span, flags: flagRemote, slot: -1}
	if rem.sampled {
		s.flags |= flagSampled
	}
	return s
}

// headerParent parses the traceparent header of h.
func headerParent(h http.Header) (remote, bool) {
	v := h[traceparentHeader]
	if len(v) != 1 { // the specification: several values are invalid
		return remote{}, false
	}
	return parseTraceparent(v[0])
}

// traceparentOf returns the traceparent to propagate from ctx, or "".
func traceparentOf(ctx context.Context) string {
	if ctx != nil {
		if s := spanOf(ctx); s != nil {
			return formatTraceparent(s.trace, s.id, s.flags&flagSampled != 0)
		}
	}
	current() // TRACEPARENT is read at first use
	if envParent.ok {
		return envParent.raw
	}
	return ""
}

// Transport returns an http.RoundTripper that sends the traceparent of
// each request's context (see InjectHeader) and then calls base
// (http.DefaultTransport when nil).
func Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{base: base}
}

type transport struct{ base http.RoundTripper }

// RoundTrip implements http.RoundTripper. It clones the request before
// setting the header, as a RoundTripper must not modify its request.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	tp := traceparentOf(req.Context())
	if tp == "" {
		return t.base.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header[traceparentHeader] = []string{tp}
	return t.base.RoundTrip(req)
}
