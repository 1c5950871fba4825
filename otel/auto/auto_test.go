package auto

import (
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// TestInstalled: importing the package installed the bridge's provider
// and the W3C propagators globally.
func TestInstalled(t *testing.T) {
	if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); !ok {
		t.Errorf("global TracerProvider is %T, want the bridge's SDK provider", otel.GetTracerProvider())
	}
	fields := otel.GetTextMapPropagator().Fields()
	want := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}).Fields()
	if len(fields) != len(want) {
		t.Errorf("propagator fields %v, want %v", fields, want)
	}
}
