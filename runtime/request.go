package autotrace

import (
	"context"
	"reflect"
	"sync/atomic"
	"unsafe"
)

// request is what StartRequest needs of an *http.Request. Naming the
// methods rather than the type keeps net/http, and crypto/tls beneath it
// (some 115 packages), out of the runtime: a program that serves HTTP
// compiles them anyway, and one that does not should not have to.
type request[R any] interface {
	Context() context.Context
	WithContext(ctx context.Context) R
}

// StartRequest starts a span for an HTTP handler: a child of the span in
// r.Context(), or when that has none, of the W3C traceparent header of the
// request (with its tracestate), or of the innermost span open on the
// calling goroutine, or else a root. It returns r with the child context;
// with recording off, r itself, unchanged, and a nil span. Unsampled traces
// are handled as by Start. A nil r (tests pass one) has no context: the
// span is started as by StartHere and r is returned as it is. R is
// *http.Request.
func StartRequest[R request[R]](r R, name string) (child R, s Span) {
	child = r
	if maybeOn.Load() {
		h, isNil := headerOf(r)
		if isNil {
			return r, startHere(name)
		}
		var ctx context.Context
		if ctx, s = startRequest(r.Context(), h, name); s != (Span{}) {
			child = r.WithContext(ctx)
		}
	}
	return
}

// headerOf returns r.Header when R is a pointer to a struct with a Header
// field of type map[string][]string underneath, as *http.Request is, and
// nil otherwise; and whether r is a nil pointer.
func headerOf[R any](r R) (header map[string][]string, isNil bool) {
	f := requestType(reflect.TypeFor[R]())
	if !f.ptr {
		return nil, false
	}
	p := *(*unsafe.Pointer)(unsafe.Pointer(&r)) // R is a pointer: checked by requestType
	if p == nil {
		return nil, true
	}
	if !f.ok {
		return nil, false
	}
	return *(*map[string][]string)(unsafe.Add(p, f.off)), false
}

// headerField describes the last request type seen. There is one in
// practice, *http.Request, so one entry is the whole cache.
var headerField atomic.Pointer[fieldAt]

type fieldAt struct {
	typ reflect.Type
	ptr bool    // typ is a pointer type
	off uintptr // of the Header field in the struct typ points to, if ok
	ok  bool
}

// requestType describes t, checked once per type through reflect.
func requestType(t reflect.Type) *fieldAt {
	if f := headerField.Load(); f != nil && f.typ == t {
		return f
	}
	f := &fieldAt{typ: t, ptr: t.Kind() == reflect.Pointer}
	if f.ptr && t.Elem().Kind() == reflect.Struct {
		sf, ok := t.Elem().FieldByName("Header")
		ft := sf.Type
		if ok && len(sf.Index) == 1 && ft.Kind() == reflect.Map &&
			ft.Key() == reflect.TypeFor[string]() && ft.Elem() == reflect.TypeFor[[]string]() {
			f.off, f.ok = sf.Offset, true
		}
	}
	headerField.Store(f)
	return f
}

// Propagate returns r, an *http.Request about to be sent, with the W3C
// traceparent and tracestate of its context's span in its headers (see
// TraceContext), so the server continues the trace: a copy of r
// (r.WithContext) with a copy of its header, since a client's request is
// the caller's and must not change; r itself when there is nothing to
// send. Rules with propagate= call it.
func Propagate[R request[R]](r R) R {
	h, isNil := headerOf(r)
	if isNil || !requestType(reflect.TypeFor[R]()).ok {
		return r
	}
	ctx := r.Context()
	tp, ts := TraceContext(ctx)
	if tp == "" {
		return r
	}
	c := r.WithContext(ctx)
	nh := make(map[string][]string, len(h)+2)
	for k, v := range h {
		nh[k] = v
	}
	nh[traceparentHeader] = []string{tp}
	if ts != "" {
		nh[tracestateHeader] = []string{ts}
	} else {
		delete(nh, tracestateHeader) // a stale one would belong to another trace
	}
	f := requestType(reflect.TypeFor[R]())
	*(*map[string][]string)(unsafe.Add(*(*unsafe.Pointer)(unsafe.Pointer(&c)), f.off)) = nh
	return c
}
