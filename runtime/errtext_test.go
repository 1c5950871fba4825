package autotrace

import (
	"context"
	"testing"
)

// nilErr's Error reads through its receiver, so a typed nil *nilErr
// returned as an error panics when asked for its message (as in
// github.com/pkg/errors' tests).
type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg }

//go:noinline
func typedNil(ctx context.Context) (err error) {
	ctx, __span := Start(ctx, "t.typedNil")
	defer __span.EndErr(&err)
	_ = ctx
	var e *nilErr
	return e
}

func TestEndErrTypedNilError(t *testing.T) {
	out := record(t, Config{})
	if err := typedNil(context.Background()); err == nil {
		t.Fatal("typedNil returned a nil interface")
	}
	Flush()
	m := byName(t, mustSpans(t, out))
	if s := m["t.typedNil"]; s.Status != "error" || s.Error != "<nil>" {
		t.Errorf("typedNil: status %q error %q, want error <nil>", s.Status, s.Error)
	}
}
