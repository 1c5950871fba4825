#!/usr/bin/env bash
# Scale benchmark of `autotrace report` (issue 27's S1-S3), on traces the
# runtime itself records (report/internal/gentrace/rtgen, binary format):
#
#   S1  roots of 91 spans (shop shape), S1_SPANS spans: report's formats,
#       wall time and peak RSS, each against `autotrace cat` of the same file
#       (decoding it and writing JSON Lines to /dev/null): the anchor
#   S3  one root with S3_SPANS descendants (wide), and S3_SPANS roots of 3
#       spans (roots): time, RSS and known answers, checked from the json
#       report against scripts/scale/selftimes.py's, computed apart from
#       `autotrace cat`'s JSON Lines: roots (1, or S3_SPANS), no orphan,
#       nothing evicted or approximate, every name's count, total and self
#       time exactly, the slowest trace the longest root's, with every span
#
#   S4  `compare` of two traces of S4_SPANS spans each (shop shape, two
#       separate recordings), time and RSS against `autotrace cat` of both
#       files, and its verdicts against those on a sample: the first
#       S4_SAMPLE spans of each (`autotrace cat | head`); every name with
#       enough spans in the sample for a verdict must get the same one
#
#   scripts/scale.sh [S1_SPANS [S3_SPANS [S4_SPANS]]]    # defaults 100000000 10000000 10000000
#
# It prints a markdown table for docs/performance.md. S2 runs every format
# on S1's trace, perfetto and chrome too (written to /dev/null: at 10^8
# spans their files are some 10 and 20 GB). The traces are recorded with
# AUTOTRACE_FOLD=off, so that every call is a span record (folding would
# turn the shop shape's tiny calls into fold records).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
s1=${1:-100000000}
s3=${2:-10000000}
s4=${3:-10000000}
s4_sample=${S4_SAMPLE:-100000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/autotrace-scale.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$root"
go build -o "$dir/autotrace" ./cmd/autotrace
go build -o "$dir/rtgen" ./report/internal/gentrace/rtgen
at=$dir/autotrace
fail=0
export AUTOTRACE_FOLD=off # for rtgen's recordings

# measure LABEL CMD…: runs CMD with output to /dev/null, sets secs and mb.
measure() {
	/usr/bin/time -f '%e %M' -o "$dir/time" "${@:2}" >/dev/null 2>"$dir/err" || {
		echo "$1: failed: $(tail -3 "$dir/err")" >&2
		fail=1
	}
	read -r secs kb <"$dir/time"
	mb=$((kb / 1024))
}

row() { # id what file spans command…
	local id=$1 what=$2 file=$3 spans=$4
	shift 4
	measure "$id" "$at" cat "$file"
	local cat_s=$secs
	measure "$id" "$@"
	local ratio mspans
	ratio=$(awk -v a="$secs" -v b="$cat_s" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 0.01) }')
	mspans=$(awk -v n="$spans" -v s="$secs" 'BEGIN { printf "%.2f", n / 1e6 / (s > 0 ? s : 0.01) }')
	printf '| %s | %s | `%s` | %s s, %s M spans/s, %d MB RSS; cat %s s: **%s×** |\n' \
		"$id" "$what" "${*#"$at" }" "$secs" "$mspans" "$mb" "$cat_s" "$ratio"
}

# check NAME JQ-ARGS JQ-EXPR: the json report's known answer, or a failure.
check() {
	# shellcheck disable=SC2086 # JQ-ARGS is words
	if jq -e $2 "$3" "$dir/report.json" >/dev/null; then
		echo "known answer ok: $1" >&2
	else
		echo "KNOWN ANSWER FAILED: $1: $3" >&2
		fail=1
	fi
}

echo "recording S1: $s1 spans, shop shape, 2 processes" >&2
"$dir/rtgen" -shape shop -spans "$s1" -procs 2 -o "$dir/s1.bin"
echo "recording S3: $s3 spans under one root; $s3 roots of 3 spans" >&2
"$dir/rtgen" -shape wide -spans "$s3" -o "$dir/wide.bin"
"$dir/rtgen" -shape roots -spans $((3 * s3)) -o "$dir/roots.bin"
echo "recording S4: two traces of $s4 spans" >&2
"$dir/rtgen" -shape shop -spans "$s4" -procs 2 -o "$dir/base.bin"
"$dir/rtgen" -shape shop -spans "$s4" -procs 2 -o "$dir/head.bin"
ls -l "$dir"/*.bin >&2

echo "| id | what | command | result |"
echo "|---|---|---|---|"
n1=$(( s1 / 91 * 91 ))
row S1 "table, $n1 spans, $(($(stat -c %s "$dir/s1.bin") >> 20)) MB" "$dir/s1.bin" "$n1" "$at" report "$dir/s1.bin"
for f in folded pprof html; do
	row S2 "$f, same trace" "$dir/s1.bin" "$n1" "$at" report -format "$f" -o "$dir/out" "$dir/s1.bin"
	[ "$f" = html ] && echo "html file: $(($(stat -c %s "$dir/out") >> 10)) KB" >&2
done
for f in perfetto chrome; do
	row S2 "$f, same trace" "$dir/s1.bin" "$n1" "$at" report -format "$f" -o /dev/null "$dir/s1.bin"
done
nw=$(( s3 / 2 * 2 + 1 ))
row S3 "wide: one root, $((nw - 1)) descendants" "$dir/wide.bin" "$nw" "$at" report "$dir/wide.bin"
nr=$(( 3 * s3 / 3 ))
row S3 "roots: $nr roots of 3 spans" "$dir/roots.bin" "$((3 * nr))" "$at" report "$dir/roots.bin"

# S4: compare, against cat of both sides (read at once by two processes, as
# compare reads its two sides on two goroutines).
# shellcheck disable=SC2016 # expanded by the inner shell
measure S4 bash -c '"$0" cat "$1" >/dev/null & "$0" cat "$2" >/dev/null; wait' "$at" "$dir/base.bin" "$dir/head.bin"
cat_s=$secs
/usr/bin/time -f '%e %M' -o "$dir/time" "$at" compare -format json "$dir/base.bin" -- "$dir/head.bin" >"$dir/full.json" 2>"$dir/err" || [ $? = 1 ] || {
	echo "S4: failed: $(tail -3 "$dir/err")" >&2
	fail=1
}
read -r secs kb <"$dir/time"
printf '| S4 | compare, 2 × %s spans | `autotrace compare -format json base.bin -- head.bin` | %s s, %d MB RSS; cat of both %s s: **%s×** |\n' \
	"$s4" "$secs" $((kb / 1024)) "$cat_s" "$(awk -v a="$secs" -v b="$cat_s" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 0.01) }')"
for side in base head; do
	"$at" cat "$dir/$side.bin" | head -n "$s4_sample" >"$dir/$side.sample.jsonl" || true
done
"$at" compare -format json "$dir/base.sample.jsonl" -- "$dir/head.sample.jsonl" >"$dir/sample.json" || true
# The decisions (slower, faster, more or fewer calls) must agree; "~" (no
# significant difference) and "< threshold" (significant, too small to
# count) are both "no change", and which of the two depends on the
# sample's size (10^7 spans make every tiny difference significant).
v='[.spans[] | {(.name): {verdict, slower, faster, more_calls, fewer_calls}}] | add'
jq -r --slurpfile s "$dir/sample.json" "($v) as \$f | (\$s[0] | $v) as \$g | \$g | to_entries[] | \"S4 verdict \(.key): sample \(.value.verdict), full \(\$f[.key].verdict)\"" "$dir/full.json" >&2
if jq -e --slurpfile s "$dir/sample.json" "($v) as \$f | [\$s[0].spans[] | select(.too_few | not) | [.slower, .faster, .more_calls, .fewer_calls] == (\$f[.name] | [.slower, .faster, .more_calls, .fewer_calls])] | all" "$dir/full.json" >/dev/null; then
	echo "known answer ok: S4: every decision on the $s4_sample-span sample (where it has enough spans) is the full traces'" >&2
else
	echo "KNOWN ANSWER FAILED: S4: a decision differs between the sample and the full traces" >&2
	fail=1
fi

# Known answers, as measured (-raw: no cost compensation), against those
# scripts/scale/selftimes.py computes from `autotrace cat` on its own.
h='(.hotspots | map({(.name): {count, total_ns, self_ns}}) | add)'
known() { # shape file roots
	"$at" report -raw -format json -top 3 -o "$dir/report.json" "$2"
	"$at" cat "$2" | python3 scripts/scale/selftimes.py >"$dir/known.json"
	check "$1: roots, no orphan, nothing evicted or approximate" \
		"--slurpfile k $dir/known.json" ".roots == \$k[0].roots and .roots == $3 and .orphans == 0 and .evicted == 0 and ((.approx_self // 0) == 0)"
	check "$1: every name's count, total and self time" \
		"--slurpfile k $dir/known.json" "$h == \$k[0].hotspots"
	check "$1: the slowest trace is the longest root's, every span counted" \
		"--slurpfile k $dir/known.json" ".slowest_traces[0] | .trace_id == \$k[0].longest.trace_id and .root == \$k[0].longest.root and .dur_ns == \$k[0].longest.dur_ns"
}
known wide "$dir/wide.bin" 1
check "wide: the root's trace holds every span" "" ".slowest_traces[0].spans == $nw"
known roots "$dir/roots.bin" "$nr"
# 3 spans each, and any autotrace.flush span (a recorder stall) the runtime
# filed under the root.
check "roots: slowest traces of 3 spans each (flush spans aside), slowest first" "" ".slowest_traces | length == 3 and all(.spans >= 3) and .[0].dur_ns >= .[1].dur_ns and .[1].dur_ns >= .[2].dur_ns"
exit $fail
