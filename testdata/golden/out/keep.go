//autotrace:all

// Functions that keep their context or request (store, send or return
// it) are not given the span's context: what they keep must be what the
// caller passed (cobra's Command.ExecuteContext stores ctx and its tests
// compare cmd.Context() with it). Passing it to a call is not keeping it.
package keep

import (
	"context"
	"net/http"

	autotrace "github.com/autotrace/autotrace/runtime"
)

type Command struct {
	ctx context.Context
	req *http.Request
}

func (c *Command) ExecuteContext(ctx context.Context) (__err error) {
	_, __span := autotrace.Start(ctx, "keep.(*Command).ExecuteContext")
	defer __span.EndErr(&__err)
	c.ctx = ctx
	return c.run()
}

func (c *Command) run() (__err error) {
	__span := autotrace.StartHere("keep.(*Command).run")
	defer __span.EndErr(&__err) // autotrace: one-line body
	return nil
}

func NewCommand(ctx context.Context) *Command {
	_, __span := autotrace.Start(ctx, "keep.NewCommand")
	defer __span.End()
	return &Command{ctx: ctx}
}

func WithReq(r *http.Request) *Command {
	_, __span := autotrace.StartRequest(r, "keep.WithReq")
	defer __span.End()
	return &Command{req: r}
}

func Pass(ctx context.Context, ch chan context.Context) {
	_, __span := autotrace.Start(ctx, "keep.Pass")
	defer __span.End()
	ch <- ctx
}

func Returned(ctx context.Context) context.Context {
	_, __span := autotrace.Start(ctx, "keep.Returned")
	defer __span.End() // autotrace: one-line body
	return (ctx)
}

// Derived contexts and calls are not keeping: these get the child context.
func Derived(ctx context.Context, c *Command) {
	ctx, __span := autotrace.Start(ctx, "keep.Derived")
	defer __span.End()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.ctx = context.WithValue(ctx, "k", 1)
	use(ctx)
}

func use(ctx context.Context) {
	ctx, __span := autotrace.Start(ctx, "keep.use")
	defer __span.End() // autotrace: one-line body
}

// Kept context, but a request too: the request is the parent.
func Both(ctx context.Context, r *http.Request) {
	r, __span := autotrace.StartRequest(r, "keep.Both")
	defer __span.End()
	var kept = ctx
	_ = kept
	use(r.Context())
}

// Changing the request: gen's rebinding would hand the body a copy, and
// the caller would not see the change (chi's setPathValue).
func setPathValue(keys []string, r *http.Request) {
	_, __span := autotrace.StartRequest(r, "keep.setPathValue")
	defer __span.End()
	for _, k := range keys {
		r.SetPathValue(k, "v")
	}
}

func setPath(r *http.Request) {
	_, __span := autotrace.StartRequest(r, "keep.setPath")
	defer __span.End() // autotrace: one-line body
	r.URL.Path = "/x"
	r.Method = "GET"
}

// A helper that parses the form on a copy would leave the caller's
// request with its body read and no form; a handler's caller never looks.
func query(r *http.Request) string {
	_, __span := autotrace.StartRequest(r, "keep.query")
	defer __span.End() // autotrace: one-line body
	return r.FormValue("q")
}

func form(w http.ResponseWriter, r *http.Request) {
	r, __span := autotrace.StartRequest(r, "keep.form")
	defer __span.End() // autotrace: one-line body
	_ = r.FormValue("q")
}

// Reading is not changing: this one gets the child context.
func read(w http.ResponseWriter, r *http.Request) {
	r, __span := autotrace.StartRequest(r, "keep.read")
	defer __span.End() // autotrace: one-line body
	_ = r.URL.Path
	use(r.Context())
}
