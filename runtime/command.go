package autotrace

import (
	"context"
	"os"
	"os/exec"
	"strings"
)

// Command returns exec.Command(name, args...) with TRACEPARENT and
// TRACESTATE set in its environment from the span in ctx, so that an instrumented child process
// continues the trace. ctx only supplies the trace: unlike
// exec.CommandContext it does not kill the process when ctx is done. When
// ctx has no span the child inherits the environment as is.
func Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	if ctx == nil {
		return cmd
	}
	s, ok := spanOf(ctx)
	if !ok {
		return cmd
	}
	env := os.Environ()
	kept := env[:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "TRACEPARENT=") && !strings.HasPrefix(kv, "TRACESTATE=") {
			kept = append(kept, kv)
		}
	}
	kept = append(kept, "TRACEPARENT="+formatTraceparent(s.trace, s.id, s.flags&flagSampled != 0))
	if s.state != "" {
		kept = append(kept, "TRACESTATE="+s.state)
	}
	cmd.Env = kept
	return cmd
}
