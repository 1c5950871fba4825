#!/usr/bin/env bash
# The main job on the bundled example: copy testdata/example somewhere
# temporary, instrument it with go generate (which runs autotrace), build
# it, run it with recording on, and print the hotspot report.
#
#   scripts/demo.sh            # table
#   scripts/demo.sh -format html -o report.html
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== building autotrace" >&2
go build -o "$work/bin/autotrace" "$root/cmd/autotrace"

echo "== instrumenting a copy of testdata/example (go generate)" >&2
cp -r "$root/testdata/example" "$work/shop"
cd "$work/shop"
go mod edit -replace "github.com/autotrace/autotrace=$root"
go mod tidy >&2
PATH="$work/bin:$PATH" go generate ./...
go mod tidy >&2 # now the code imports the runtime: require it
"$work/bin/autotrace" check ./... >&2

echo "== running it with AUTOTRACE_OUT set" >&2
go build -o shop .
AUTOTRACE_OUT="$work/trace.bin" ./shop >&2

echo "== autotrace report" >&2
"$work/bin/autotrace" report "$@" "$work/trace.bin"
