#!/usr/bin/env bash
# B1: the build-time cost of go build -toolexec='autotrace -all' on a real
# module from /work/shared/corpus.txt, cold (a fresh GOCACHE) and warm (an
# immediate rebuild with nothing changed), against a plain go build ./...
#
#   scripts/bench-build.sh [MODULE@VERSION]     # default github.com/spf13/cobra@v1.8.1
#
# AUTOTRACE_FLAGS adds autotrace flags to the instrumented builds, e.g.
# AUTOTRACE_FLAGS='-rules http-server,http-client,database-sql'.
#
# Targets: cold <= 1.5x, warm <= 1.10x.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mod=${1:-github.com/spf13/cobra@v1.8.1}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "== building autotrace" >&2
go build -o "$work/bin/autotrace" "$root/cmd/autotrace"
export PATH="$work/bin:$PATH"

echo "== fetching $mod" >&2
dir=$(go mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
# Require autotrace from this checkout, as go get would. Nothing imports
# it (toolexec adds the import), so a tools file keeps go mod tidy from
# dropping the requirement.
go mod edit -go=1.25.0 -require=github.com/autotrace/autotrace@v0.0.0 -replace="github.com/autotrace/autotrace=$root"
pkg=$(go list -f '{{.Name}}' . 2>/dev/null || echo main)
printf '//go:build tools\n\npackage %s\n\nimport _ "github.com/autotrace/autotrace/runtime"\n' "$pkg" > autotrace_tools.go
go mod tidy >&2
go build ./... # fails here if the module does not build at all

now() { date +%s.%N; }
measure() { # GOCACHE, go build args...
	local cache=$1
	shift
	local t0 t1
	t0=$(now)
	GOCACHE=$cache go build "$@" ./...
	t1=$(now)
	echo "$t1 - $t0" | bc -l
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== cold builds (a fresh GOCACHE each; best of 2, interleaved; -p $(nproc))" >&2
cp_=() ci=()
for _ in 1 2; do
	plain=$(mktemp -d "$work/cache-plain.XXXX")
	inst=$(mktemp -d "$work/cache-inst.XXXX")
	cp_+=("$(measure "$plain")")
	ci+=("$(measure "$inst" "-toolexec=autotrace -all${AUTOTRACE_FLAGS:+ $AUTOTRACE_FLAGS}")")
done
cold_plain=$(printf '%s\n' "${cp_[@]}" | sort -n | head -1)
cold_inst=$(printf '%s\n' "${ci[@]}" | sort -n | head -1)
echo "== warm builds (nothing changed; median of 7, interleaved)" >&2
wp=() wi=()
for _ in 1 2 3 4 5 6 7; do
	wp+=("$(measure "$plain")")
	wi+=("$(measure "$inst" "-toolexec=autotrace -all${AUTOTRACE_FLAGS:+ $AUTOTRACE_FLAGS}")")
done
warm_plain=$(printf '%s\n' "${wp[@]}" | median)
warm_inst=$(printf '%s\n' "${wi[@]}" | median)

printf '%s (%s cores)\n' "$mod" "$(nproc)"
printf '%-6s %10s %12s %7s  target\n' "" "plain s" "autotrace s" "ratio"
printf '%-6s %10.3f %12.3f %6.2fx  <= 1.50x\n' cold "$cold_plain" "$cold_inst" "$(echo "$cold_inst / $cold_plain" | bc -l)"
printf '%-6s %10.3f %12.3f %6.2fx  <= 1.10x\n' warm "$warm_plain" "$warm_inst" "$(echo "$warm_inst / $warm_plain" | bc -l)"
# What the instrumented build links against: the runtime's own dependency
# closure, compiled once per cache whatever the module imports.
rt=$(mktemp -d "$work/cache-rt.XXXX")
printf 'runtime alone, cold: %.2f s (%s packages)\n' "$(cd "$root" && t0=$(now) && GOCACHE=$rt go build ./runtime && t1=$(now) && echo "$t1 - $t0" | bc -l)" "$(cd "$root" && go list -deps ./runtime | wc -l)"
