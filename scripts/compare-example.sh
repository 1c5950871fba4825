#!/usr/bin/env bash
# autotrace compare on the bundled example: instrument and build
# testdata/example twice, the second time with a slowdown injected (the
# store's simulated database query waits 3 ms instead of 2), record RUNS
# runs of each (interleaved, so both sides see the same machine), and
# compare. The exit status is compare's: 1, the slowdown is a regression.
#
#   scripts/compare-example.sh                    # table
#   scripts/compare-example.sh -format markdown   # any compare flags
#   RUNS=20 scripts/compare-example.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building autotrace" >&2
go build -o "$work/bin/autotrace" "$root/cmd/autotrace"

# build DIR [SED-SCRIPT]: copy the example to DIR, change store.go with
# SED-SCRIPT, instrument (go generate runs autotrace) and build DIR/shop.
build() {
	cp -r "$root/testdata/example" "$1"
	if [ -n "${2:-}" ]; then
		sed -i "$2" "$1/store.go"
		grep -q '3\*time.Millisecond' "$1/store.go" # the slowdown is in
	fi
	(
		cd "$1"
		go mod edit -replace "github.com/autotrace/autotrace=$root"
		go mod tidy >&2
		PATH="$work/bin:$PATH" go generate ./...
		go mod tidy >&2
		go build -o shop .
	)
}
echo "== instrumenting and building the base and the head (query 2 ms -> 3 ms)" >&2
build "$work/base"
build "$work/head" 's/s.query(ctx, 2\*time.Millisecond)/s.query(ctx, 3*time.Millisecond)/'

echo "== recording $runs runs of each" >&2
cd "$work"
for _ in $(seq "$runs"); do
	AUTOTRACE_OUT=base.jsonl ./base/shop >/dev/null
	AUTOTRACE_OUT=head.jsonl ./head/shop >/dev/null
done

echo "== autotrace compare base.jsonl -- head.jsonl" >&2
status=0
"$work/bin/autotrace" compare "$@" base.jsonl -- head.jsonl || status=$?
echo "== exit status $status" >&2
exit "$status"
