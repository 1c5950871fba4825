package autootel

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestExporterFromEnv(t *testing.T) {
	tests := []struct {
		name, exporter, protocol, tracesProtocol string
		wantType, wantErr                        string
	}{
		{"default is http/protobuf", "", "", "", "*otlptrace.Exporter", ""},
		{"grpc", "otlp", "grpc", "", "*otlptrace.Exporter", ""},
		{"traces protocol wins", "", "grpc", "http/protobuf", "*otlptrace.Exporter", ""},
		{"none", "none", "", "", "<nil>", ""},
		{"unsupported exporter", "zipkin", "", "", "", "only otlp and none"},
		{"unsupported protocol", "", "http/json", "", "", `OTLP protocol "http/json"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("OTEL_TRACES_EXPORTER", tt.exporter)
			t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", tt.protocol)
			t.Setenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", tt.tracesProtocol)
			e, err := exporterFromEnv(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprintf("%T", e); e == nil && tt.wantType != "<nil>" || e != nil && got != tt.wantType {
				t.Errorf("exporter %s, want %s", got, tt.wantType)
			}
			if e != nil {
				_ = e.Shutdown(context.Background())
			}
		})
	}
}

// TestSecondInstall: the bridge is installed once per process.
func TestSecondInstall(t *testing.T) {
	if _, err := Install(context.Background(), WithExporter(sw)); err == nil {
		t.Error("a second Install succeeded")
	}
}
