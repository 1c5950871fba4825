package otlp

import (
	"net/url"
	"os"
	"strings"
)

// DefaultEndpoint is where traces go when neither a flag nor the
// environment names an endpoint.
const DefaultEndpoint = "http://127.0.0.1:4318"

// tracesPath is the OTLP/HTTP path for traces.
const tracesPath = "/v1/traces"

// EndpointFromEnv returns the traces URL from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
// (used as is, as the OpenTelemetry specification says), else
// OTEL_EXPORTER_OTLP_ENDPOINT (a base URL, to which /v1/traces is
// appended), else DefaultEndpoint with /v1/traces.
func EndpointFromEnv() string {
	if v := strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")); v != "" {
		return v
	}
	if v := strings.TrimSpace(os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")); v != "" {
		return TracesURL(v)
	}
	return TracesURL(DefaultEndpoint)
}

// TracesURL returns the traces URL of a base endpoint: base with
// /v1/traces appended, unless it already ends so.
func TracesURL(base string) string {
	base = strings.TrimRight(base, "/")
	if strings.HasSuffix(base, tracesPath) {
		return base
	}
	return base + tracesPath
}

// headersFromEnv parses OTEL_EXPORTER_OTLP_TRACES_HEADERS, else
// OTEL_EXPORTER_OTLP_HEADERS: comma-separated key=value pairs with
// URL-encoded values.
func headersFromEnv() map[string]string {
	v := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_HEADERS")
	if v == "" {
		v = os.Getenv("OTEL_EXPORTER_OTLP_HEADERS")
	}
	return parsePairs(v)
}

// resourceFromEnv parses OTEL_RESOURCE_ATTRIBUTES (key=value pairs, like
// the headers).
func resourceFromEnv() map[string]string { return parsePairs(os.Getenv("OTEL_RESOURCE_ATTRIBUTES")) }

func parsePairs(s string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			continue
		}
		if u, err := url.PathUnescape(strings.TrimSpace(v)); err == nil {
			v = u
		}
		m[k] = strings.TrimSpace(v)
	}
	return m
}
