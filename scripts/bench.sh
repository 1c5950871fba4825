#!/usr/bin/env bash
# Benchmarks autotrace against OpenTelemetry (DESIGN §7 R1, R2, R3) and
# prints the medians and the ratios. Exits 1 when a budget is missed.
#
#   scripts/bench.sh [-count N] [-benchtime D]   (defaults: 5, 1s)
#
# Two go test runs, each ratio taken within one of them:
#   storm:    every benchmark but AutotraceExported. Recording benchmarks
#             make spans faster than the background exporter, capped at 1/4
#             CPU, writes them: they measure the hot path (R1hot), and their
#             dropped/span shows the share the exporter dropped. R2, R3.
#   exported: Plain, the OpenTelemetry SDK (left to its batcher; flushed
#             every 256 spans as R1 states it; writing a file with its
#             stdout exporter) and AutotraceExported: every span encoded
#             and written on the benchmark's clock (R1). Its process record
#             must say dropped 0, or ratios fails.
set -euo pipefail
cd "$(dirname "$0")/bench"
count=5 benchtime=1s
while [ $# -gt 0 ]; do
	case "$1" in
	-count) count=$2; shift 2 ;;
	-benchtime) benchtime=$2; shift 2 ;;
	*) echo "usage: $0 [-count N] [-benchtime D]" >&2; exit 2 ;;
	esac
done
storm=$(mktemp) exported=$(mktemp)
trap 'rm -f "$storm" "$exported"' EXIT
show() { grep -E '^(goos|goarch|cpu|Benchmark|\{"process"|FAIL|---)' || true; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo "== storm run"
go test -run '^$' -bench . -skip 'Exported|OTelSDKFlushed|OTelSDKFile' -benchmem -count "$count" -benchtime "$benchtime" -cpu 1,2 . | tee "$storm" | show
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo "== exported run"
go test -run '^$' -bench 'Plain|OTelSDK$|OTelSDKFlushed|OTelSDKFile|AutotraceExported' -benchmem -count "$count" -benchtime "$benchtime" -cpu 1,2 . | tee "$exported" | show
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo
go run ./ratios storm="$storm" exported="$exported"
