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
	__span := autotrace.StartHere("keep.(*Command).ExecuteContext")
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
	__span := autotrace.StartHere("keep.NewCommand")
	defer __span.End()
	return &Command{ctx: ctx}
}

func WithReq(r *http.Request) *Command {
	__span := autotrace.StartHere("keep.WithReq")
	defer __span.End()
	return &Command{req: r}
}

func Pass(ctx context.Context, ch chan context.Context) {
	__span := autotrace.StartHere("keep.Pass")
	defer __span.End()
	ch <- ctx
}

func Returned(ctx context.Context) context.Context {
	__span := autotrace.StartHere("keep.Returned")
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
