#!/usr/bin/env bash
# The cost per request of the http-server rule set against the same server
# with OpenTelemetry's otelhttp middleware (SDK, AlwaysSample, batched to
# a file), both over a plain build of it, on loopback (scripts/bench/
# rulesserver). Prints each variant's median CPU and wall time per request
# (5 runs, interleaved) and the ratio of the tracing costs.
#
#   scripts/bench-rules.sh [REQUESTS]     # default 20000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/autotrace" ./cmd/autotrace)
cd "$root/scripts/bench"
go build -o "$work/plain" ./rulesserver
go build -toolexec="$work/autotrace -rules http-server" -o "$work/rule" ./rulesserver

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
declare -A cpu wall
for _ in 1 2 3 4 5; do
	for v in plain otel rule; do
		case $v in
		plain) out=$("$work/plain" -n "$n") ;;
		otel) out=$("$work/plain" -n "$n" -mode otel -otel-out "$work/otel.json") ;;
		rule) rm -f "$work/rule.trace"; out=$(AUTOTRACE_OUT="$work/rule.trace" "$work/rule" -n "$n") ;;
		esac
		cpu[$v]+="$(echo "$out" | field cpu_ns_per_req) "
		wall[$v]+="$(echo "$out" | field wall_ns_per_req) "
	done
done
spans=$("$work/autotrace" cat "$work/rule.trace" | grep -c '"name":"GET /items/{id}"')
declare -A mc mw
printf '%-6s %14s %15s\n' variant "cpu ns/req" "wall ns/req"
for v in plain otel rule; do
	mc[$v]=$(printf '%s\n' ${cpu[$v]} | median)
	mw[$v]=$(printf '%s\n' ${wall[$v]} | median)
	printf '%-6s %14d %15d\n' "$v" "${mc[$v]}" "${mw[$v]}"
done
echo "rule spans written in the last run: $spans (want $((n + 2000)))"
printf 'tracing cost per request, cpu: rule %+d ns, otelhttp %+d ns; rule/otelhttp = %.2f\n' \
	$((mc[rule] - mc[plain])) $((mc[otel] - mc[plain])) \
	"$(echo "(${mc[rule]} - ${mc[plain]}) / (${mc[otel]} - ${mc[plain]})" | bc -l)"
printf 'server+client cpu per request vs plain: rule %.3fx, otelhttp %.3fx\n' \
	"$(echo "${mc[rule]} / ${mc[plain]}" | bc -l)" "$(echo "${mc[otel]} / ${mc[plain]}" | bc -l)"
