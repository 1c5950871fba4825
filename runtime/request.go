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
// are handled as by Start. R is *http.Request.
func StartRequest[R request[R]](r R, name string) (child R, s *Span) {
	child = r
	if maybeOn.Load() {
		if s = startRequest(r.Context(), headerOf(r), name); s != nil {
			child = r.WithContext(s)
		}
	}
	return
}

// headerOf returns r.Header when R is a pointer to a struct with a Header
// field of type map[string][]string underneath, as *http.Request is, and
// nil otherwise.
func headerOf[R any](r R) map[string][]string {
	off, ok := headerOffset(reflect.TypeFor[R]())
	if !ok {
		return nil
	}
	p := *(*unsafe.Pointer)(unsafe.Pointer(&r)) // R is a pointer: checked by headerOffset
	if p == nil {
		return nil
	}
	return *(*map[string][]string)(unsafe.Add(p, off))
}

// headerField is the Header field of the last request type seen. There is
// one in practice, *http.Request, so one entry is the whole cache.
var headerField atomic.Pointer[fieldAt]

type fieldAt struct {
	typ reflect.Type
	off uintptr
	ok  bool
}

// headerOffset returns the offset of the Header field in the struct t
// points to, checked once per type through reflect.
func headerOffset(t reflect.Type) (uintptr, bool) {
	if f := headerField.Load(); f != nil && f.typ == t {
		return f.off, f.ok
	}
	f := &fieldAt{typ: t}
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		sf, ok := t.Elem().FieldByName("Header")
		ft := sf.Type
		if ok && len(sf.Index) == 1 && ft.Kind() == reflect.Map &&
			ft.Key() == reflect.TypeFor[string]() && ft.Elem() == reflect.TypeFor[[]string]() {
			f.off, f.ok = sf.Offset, true
		}
	}
	headerField.Store(f)
	return f.off, f.ok
}
