#!/usr/bin/env bash
# Fuzz the rewriter seeded with the corpus modules' Go files: every .go file
# of every module in modules.txt becomes a seed of rewrite's FuzzGen (via
# AUTOTRACE_FUZZ_SEEDS). The seeds are first run once as plain tests (each
# file through Gen, Gen again and Strip), then fuzzed for $FUZZTIME.
#
#	scripts/corpus/fuzz.sh [FUZZTIME]     default 3m; 0 runs the seeds only
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fuzztime=${1:-${FUZZTIME:-3m}}
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT

n=0
while read -r mod; do
  case $mod in ''|'#'*) continue ;; esac
  dir=$(go mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "fuzz.sh: go mod download $mod failed" >&2; exit 1; }
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    cp "$f" "$seeds/$n-$(basename "$f")"
  done < <(find "$dir" -name '*.go' -print0)
done < "$here/modules.txt"
echo "fuzz.sh: $n seed files"

cd "$root"
AUTOTRACE_FUZZ_SEEDS=$seeds go test -count=1 -run '^FuzzGen$' ./rewrite/
if [ "$fuzztime" != 0 ]; then
  AUTOTRACE_FUZZ_SEEDS=$seeds go test -run '^$' -fuzz '^FuzzGen$' -fuzztime "$fuzztime" -parallel 1 ./rewrite/
fi
