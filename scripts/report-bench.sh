#!/usr/bin/env bash
# Benchmark of `autotrace report` on a generated trace file: wall time and
# peak memory (maximum resident set size) per format.
#
#   scripts/report-bench.sh [SPANS]      # default 1000000 (about 335 MB)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spans=${1:-1000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/autotrace-report-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$root"
go build -o "$dir/autotrace" ./cmd/autotrace
go run ./report/internal/gentrace/gen -spans "$spans" -seed 1 >"$dir/trace.jsonl"
size=$(($(stat -c %s "$dir/trace.jsonl") >> 20))
echo "input: $spans spans, $size MB"
printf '%-8s %10s %12s\n' format seconds max-RSS-MB
for format in table json folded html chrome; do
	/usr/bin/time -f '%e %M' -o "$dir/time" "$dir/autotrace" report -format "$format" -o "$dir/out" "$dir/trace.jsonl" 2>/dev/null
	read -r secs kb <"$dir/time"
	printf '%-8s %10s %12d\n' "$format" "$secs" $((kb / 1024))
done
