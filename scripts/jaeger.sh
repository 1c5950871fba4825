#!/usr/bin/env bash
# Proves the OpenTelemetry interop against a real backend: builds Jaeger v2
# from the module proxy (cached), runs it on loopback with in-memory
# storage, then sends it the bundled example's spans three ways:
#   - live, through the otel bridge (import _ ".../otel/auto"), OTLP HTTP/protobuf;
#   - live, through the bridge, OTLP gRPC;
#   - after the fact, from a recorded trace file, with `autotrace export` (OTLP/HTTP JSON);
# and checks through Jaeger's HTTP API that every span arrived with its ids,
# parent link, timing, service, status, attributes and exception events, by
# comparing with the trace file each run also wrote (AUTOTRACE_OUT). In the
# live runs a hand-written OpenTelemetry client span sits between the
# example's autotrace client and server spans: Jaeger must show the mixed
# tree linked both ways. Then two services built with -toolexec and the
# shipped rule sets (testdata/script/toolexec_services.txtar: HTTP server
# and client, database/sql on SQLite), their two files sent with export:
# one trace across both processes, every span checked the same way.
#
#   scripts/jaeger.sh          # prints "jaeger: N passed, 0 failed"; exit 1 on failure
#   scripts/jaeger.sh -load "10000 40000" [-protocol grpc|http/protobuf]
#                              # then also measures: spans/s made live, and how many Jaeger got
#
# The Jaeger binary is cached in ${AUTOTRACE_CACHE:-$HOME/.cache/autotrace}.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
load_rates="" load_protocol=grpc
while [ $# -gt 0 ]; do
	case "$1" in
	-load) load_rates=$2; shift 2 ;;
	-protocol) load_protocol=$2; shift 2 ;;
	*) echo "usage: $0 [-load \"RATE...\"] [-protocol grpc|http/protobuf]" >&2; exit 2 ;;
	esac
done
version=v1.76.0
cache=${AUTOTRACE_CACHE:-$HOME/.cache/autotrace}
jaeger=$cache/jaeger-$version
work=$(mktemp -d)
jpid=
cleanup() {
	if [ -n "$jpid" ]; then
		kill "$jpid" 2>/dev/null || true
		for _ in $(seq 100); do kill -0 "$jpid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$jpid" 2>/dev/null || true
		wait "$jpid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
for v in $(env | sed -n 's/^\(OTEL_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
unset TRACEPARENT AUTOTRACE_OUT AUTOTRACE_SAMPLE AUTOTRACE_SUMMARY

pass=0 fail=0
record() { # record NAME STATUS
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $1" >&2; fi
}

if [ ! -x "$jaeger" ]; then
	echo "== building Jaeger $version from the module proxy (once; cached in $cache)" >&2
	dir=$(go mod download -json "github.com/jaegertracing/jaeger@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[ -d "$dir" ] || { echo "jaeger.sh: go mod download gave no directory" >&2; exit 1; }
	cp -r "$dir" "$work/jaeger-src"
	chmod -R u+w "$work/jaeger-src"
	mkdir -p "$cache"
	(cd "$work/jaeger-src" && timeout 40m go build -o "$jaeger.tmp.$$" ./cmd/jaeger)
	mv "$jaeger.tmp.$$" "$jaeger"
	rm -rf "$work/jaeger-src"
fi

echo "== building autotrace and the checker" >&2
go build -o "$work/bin/autotrace" "$root/cmd/autotrace"
go build -o "$work/bin/autotrace-export" "$root/cmd/autotrace-export" # what autotrace export runs
go build -o "$work/bin/check" "$root/scripts/jaeger/check"
check=$work/bin/check

ports=($("$check" ports 5))
grpc=${ports[0]} http=${ports[1]} query=${ports[2]} qgrpc=${ports[3]} health=${ports[4]}
cat >"$work/jaeger.yaml" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:$health
  jaeger_query:
    storage:
      traces: mem
    http:
      endpoint: 127.0.0.1:$query
    grpc:
      endpoint: 127.0.0.1:$qgrpc
  jaeger_storage:
    backends:
      mem:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$grpc
      http:
        endpoint: 127.0.0.1:$http
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: mem
YAML

echo "== starting Jaeger (OTLP gRPC :$grpc, HTTP :$http, query :$query)" >&2
"$jaeger" --config "file:$work/jaeger.yaml" >"$work/jaeger.log" 2>&1 &
jpid=$!
ready=0
for _ in $(seq 120); do
	if curl -sf "http://127.0.0.1:$query/api/services" >/dev/null 2>&1; then ready=1; break; fi
	kill -0 "$jpid" 2>/dev/null || break
	sleep 0.5
done
if [ "$ready" != 1 ]; then
	echo "jaeger.sh: Jaeger did not become ready; its log:" >&2
	tail -30 "$work/jaeger.log" >&2
	exit 1
fi

echo "== instrumenting a copy of testdata/example with the otel bridge" >&2
cp -r "$root/testdata/example" "$work/shop"
cd "$work/shop"
cat >otel.go <<'GO'
package main

import (
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	// Spans go live to OpenTelemetry, configured by OTEL_* variables.
	_ "github.com/autotrace/autotrace/otel/auto"
)

// A hand-written OpenTelemetry client span around each request the example
// sends: the child of the autotrace span that sends it, and the parent (by
// its traceparent header) of the server's autotrace spans.
func init() {
	base := http.DefaultTransport
	http.DefaultTransport = roundTripper(func(r *http.Request) (*http.Response, error) {
		ctx, span := otel.Tracer("shop-client").Start(r.Context(), "HTTP "+r.Method, trace.WithSpanKind(trace.SpanKindClient))
		defer span.End()
		r = r.Clone(ctx)
		otel.GetTextMapPropagator().Inject(ctx, propagation.HeaderCarrier(r.Header))
		return base.RoundTrip(r)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
GO
go mod edit -replace "github.com/autotrace/autotrace=$root" -replace "github.com/autotrace/autotrace/otel=$root/otel" \
	-require "github.com/autotrace/autotrace/otel@v0.0.0"
go mod tidy >&2
PATH="$work/bin:$PATH" go generate ./...
go mod tidy >&2
go build -o shop .

run() { # run NAME: run the example, then compare Jaeger's spans of service NAME with its trace file
	local name=$1 status=0
	shift
	echo "== $name" >&2
	env "$@" AUTOTRACE_OUT="$work/$name.jsonl" timeout 60 ./shop >/dev/null || status=$?
	record "$name: run" $status
}
compare() { # compare NAME [-mixed]: compare Jaeger's spans of service NAME with NAME.jsonl
	local status=0
	"$check" compare -query "http://127.0.0.1:$query" -service "$1" -file "$work/$1.jsonl" -wait 30s ${2:-} || status=$?
	record "$1: spans in Jaeger" $status
}

# (a) live, OTLP HTTP/protobuf and gRPC, through the bridge.
run shop-otlp-http OTEL_SERVICE_NAME=shop-otlp-http OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
	OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$http"
compare shop-otlp-http -mixed
run shop-otlp-grpc OTEL_SERVICE_NAME=shop-otlp-grpc OTEL_EXPORTER_OTLP_PROTOCOL=grpc \
	OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$grpc"
compare shop-otlp-grpc -mixed

# (b) recorded, then sent with autotrace export.
run shop-file OTEL_TRACES_EXPORTER=none
status=0
"$work/bin/autotrace" export -endpoint "http://127.0.0.1:$http" -service shop-file "$work/shop-file.jsonl" >&2 || status=$?
record "shop-file: autotrace export" $status
compare shop-file

# (c) two services built with -toolexec and the shipped rule sets (the
# front calls the back over HTTP, the back queries SQLite), each recording
# its own file, sent with autotrace export: Jaeger holds one trace across
# both, every span with its parent (testdata/script/toolexec_services.txtar
# checks the same programs' report).
echo "== services: rule sets across two processes" >&2
svc=$work/services
mkdir -p "$svc"
awk -v dir="$svc" '
/^-- .+ --$/ { name = $0; sub(/^-- /, "", name); sub(/ --$/, "", name); f = dir "/" name
	d = f; sub(/\/[^\/]*$/, "", d); system("mkdir -p \"" d "\""); next }
f != "" { print > f }' "$root/testdata/script/toolexec_services.txtar"
status=0
(
	cd "$svc" &&
		go mod edit -go=1.26.0 -require=github.com/autotrace/autotrace@v0.0.0 -replace="github.com/autotrace/autotrace=$root" &&
		cat "$root/go.sum" >>go.sum &&
		go mod tidy >&2 &&
		go build -toolexec="$work/bin/autotrace" -o bin/ ./front ./back &&
		{ AUTOTRACE_FORMAT=jsonl AUTOTRACE_OUT="$svc/back.jsonl" timeout 60 ./bin/back "$svc/back.addr" & } &&
		AUTOTRACE_FORMAT=jsonl AUTOTRACE_OUT="$svc/front.jsonl" timeout 60 ./bin/front "$svc/back.addr" >&2 &&
		wait &&
		cat front.jsonl back.jsonl >"$work/services.jsonl"
) || status=$?
record "services: build and run" $status
status=0
"$work/bin/autotrace" export -endpoint "http://127.0.0.1:$http" -service services "$work/services.jsonl" >&2 || status=$?
record "services: autotrace export" $status
compare services
traces=$(grep -o '"trace_id":"[0-9a-f]*"' "$work/services.jsonl" | sort -u | wc -l)
status=0
[ "$traces" -eq 1 ] || status=1
record "services: one trace across both processes ($traces)" $status

# The checker itself: a trace file that disagrees with Jaeger must fail.
echo "== the checker notices a wrong parent and a wrong status" >&2
sed -e '0,/"parent_id":"[0-9a-f]\{16\}"/s//"parent_id":"0123456789abcdef"/' \
	-e '0,/"status":"ok"/s//"status":"error","error":"tampered"/' "$work/shop-file.jsonl" >"$work/tampered.jsonl"
status=0
"$check" compare -query "http://127.0.0.1:$query" -service shop-file -file "$work/tampered.jsonl" -wait 1s >"$work/tampered.out" || status=$?
if [ "$status" -ne 0 ] && grep -q '^FAIL shop-file: parent link' "$work/tampered.out" && grep -q '^FAIL shop-file: status' "$work/tampered.out"; then
	record "checker catches differences" 0
else
	cat "$work/tampered.out" >&2
	record "checker catches differences" 1
fi

# Throughput, on demand: spans/s made live through the bridge, and how many
# of them Jaeger holds after the program's shutdown flushed them.
if [ -n "$load_rates" ]; then
	(cd "$root/otel" && go build -o "$work/bin/loadgen" ./internal/loadgen)
	ep=$http
	[ "$load_protocol" = grpc ] && ep=$grpc
	for rate in $load_rates; do
		out=$(env OTEL_TRACES_EXPORTER=none AUTOTRACE_OUT="$work/load-$rate.jsonl" timeout 120 "$work/bin/loadgen" -rate "$rate" -duration 3s)
		echo "load (file only, no bridge): $out"
		rm -f "$work/load-$rate.jsonl"
		out=$(env OTEL_SERVICE_NAME="load-$rate" OTEL_EXPORTER_OTLP_PROTOCOL="$load_protocol" \
			OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$ep" timeout 120 "$work/bin/loadgen" -rate "$rate" -duration 3s)
		made=$(echo "$out" | sed -n 's/^made \([0-9]*\) spans.*/\1/p')
		got=$("$check" count -query "http://127.0.0.1:$query" -service "load-$rate" -want "$made" -wait 20s || true)
		echo "load ($load_protocol): $out; Jaeger holds $got of $made"
	done
fi

if [ "$fail" -gt 0 ]; then
	echo "== Jaeger's log" >&2
	tail -20 "$work/jaeger.log" >&2
fi
echo "jaeger: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
