// Package auto, imported for its side effect, sends the program's
// autotrace spans live to OpenTelemetry, configured by the standard OTEL_*
// environment variables (see package autootel):
//
//	import _ "github.com/autotrace/autotrace/otel/auto"
//
// It also makes the bridge's TracerProvider the global one and sets the
// global propagator to W3C trace context and baggage, so that
// OpenTelemetry instrumentation in the program joins the same traces. An
// error (an unsupported protocol, say) is reported on stderr and leaves
// the program untraced by OpenTelemetry.
package auto

import (
	"context"
	"fmt"
	"os"

	autootel "github.com/autotrace/autotrace/otel"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
)

func init() {
	b, err := autootel.Install(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "autotrace/otel: %v; spans are not sent to OpenTelemetry\n", err)
		return
	}
	if b == nil {
		return
	}
	otel.SetTracerProvider(b.TracerProvider())
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
}
