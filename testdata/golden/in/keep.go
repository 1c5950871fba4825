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

// Changing the request: gen's rebinding would hand the body a copy, and
// the caller would not see the change (chi's setPathValue).
func setPathValue(keys []string, r *http.Request) {
	for _, k := range keys {
		r.SetPathValue(k, "v")
	}
}

func setPath(r *http.Request) { r.URL.Path = "/x"; r.Method = "GET" }

// A helper that parses the form on a copy would leave the caller's
// request with its body read and no form; a handler's caller never looks.
func query(r *http.Request) string { return r.FormValue("q") }

func form(w http.ResponseWriter, r *http.Request) { _ = r.FormValue("q") }

// Reading is not changing: this one gets the child context.
func read(w http.ResponseWriter, r *http.Request) { _ = r.URL.Path; use(r.Context()) }
