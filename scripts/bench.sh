#!/usr/bin/env bash
# Benchmarks autotrace against OpenTelemetry (DESIGN §7 R1, R2, R3) in one
# go test run, so that both see the same machine, and prints the medians
# and the ratios. Exits 1 when a budget is missed.
#
#   scripts/bench.sh [-count N] [-benchtime D]   (defaults: 5, 1s)
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
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
go test -run '^$' -bench . -benchmem -count "$count" -benchtime "$benchtime" -cpu 1,2 . | tee "$out" | grep -E '^(goos|goarch|cpu|Benchmark|\{"process")' || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
echo
go run ./ratios < "$out"
