//autotrace:all

// Functions that keep their context or request (store, send or return
// it) are not given the span's context: what they keep must be what the
// caller passed (cobra's Command.ExecuteContext stores ctx and its tests
// compare cmd.Context() with it). Passing it to a call is not keeping it.
package keep

import (
	"context"
	"net/http"
)

type Command struct {
	ctx context.Context
	req *http.Request
}

func (c *Command) ExecuteContext(ctx context.Context) error {
	c.ctx = ctx
	return c.run()
}

func (c *Command) run() error { return nil }

func NewCommand(ctx context.Context) *Command {
	return &Command{ctx: ctx}
}

func WithReq(r *http.Request) *Command {
	return &Command{req: r}
}

func Pass(ctx context.Context, ch chan context.Context) {
	ch <- ctx
}

func Returned(ctx context.Context) context.Context { return (ctx) }

// Derived contexts and calls are not keeping: these get the child context.
func Derived(ctx context.Context, c *Command) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.ctx = context.WithValue(ctx, "k", 1)
	use(ctx)
}

func use(ctx context.Context) {}

// Kept context, but a request too: the request is the parent.
func Both(ctx context.Context, r *http.Request) {
	var kept = ctx
	_ = kept
	use(r.Context())
}
