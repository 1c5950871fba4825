#!/usr/bin/env bash
# E1 (DESIGN §7): an HTTP service with every function instrumented and
# recording on must serve at least 0.95× the requests per second of the same
# service uninstrumented, under the same load on loopback, with at most 1.10×
# its server CPU per request. Builds
# testdata/e1/server twice (plain, and after `autotrace gen -all`), runs the
# bounded load generator against each in alternation, and prints medians
# and the ratio. Exit 1 when the budget is missed.
#
#   scripts/e1.sh [-rounds N] [-d DURATION] [-c CLIENTS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=5 dur=3s clients=4
while [ $# -gt 0 ]; do
  case $1 in
    -rounds) rounds=$2; shift 2 ;;
    -d) dur=$2; shift 2 ;;
    -c) clients=$2; shift 2 ;;
    *) echo "usage: $0 [-rounds N] [-d DURATION] [-c CLIENTS]" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/autotrace" "$root/cmd/autotrace"
for v in plain traced; do
  cp -r "$root/testdata/e1" "$work/$v"
  (cd "$work/$v" && go mod edit -replace "github.com/autotrace/autotrace=$root") # tidy only after gen: it drops the unused requirement
done
(cd "$work/traced" && "$work/autotrace" gen -all ./server && go mod tidy >/dev/null 2>&1 && go build -o "$work/server-traced" ./server)
(cd "$work/plain" && go build -o "$work/server-plain" ./server && go build -o "$work/load" ./load)

# cpuTicks PID: the process's user+system CPU time so far, in clock ticks.
cpuTicks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run VARIANT: start the server, load it, print requests/s and the
# server's CPU microseconds per request.
run() {
  local out="$work/$1.addr"
  rm -f "$out" "$work/trace-$1.bin" # this run's address and spans only
  AUTOTRACE_OUT="$work/trace-$1.bin" "$work/server-$1" > "$out" &
  local pid=$!
  for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
  if [ ! -s "$out" ]; then
    echo "e1: server-$1 did not start within 10 s" >&2
    exit 1
  fi
  local t0 rps t1
  t0=$(cpuTicks $pid)
  rps=$("$work/load" -url "http://$(head -1 "$out")/basket?ids=3,14,15,92,65,35,89,79" -c "$clients" -d "$dur")
  t1=$(cpuTicks $pid)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  awk -v rps="$rps" -v d="${dur%s}" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%s %.1f\n", rps, ticks / hz * 1e6 / (rps * d)}'
}
plain=() traced=() plaincpu=() tracedcpu=()
for i in $(seq "$rounds"); do
  read -r r c < <(run plain); plain+=("$r"); plaincpu+=("$c")
  read -r r c < <(run traced); traced+=("$r"); tracedcpu+=("$c")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
p=$(median "${plain[@]}") t=$(median "${traced[@]}")
"$work/autotrace" cat "$work/trace-traced.bin" > "$work/trace-traced.jsonl"
spans=$(grep -c '"trace_id"' "$work/trace-traced.jsonl" || true)
trace_bytes=$(stat -c %s "$work/trace-traced.bin") json_bytes=$(stat -c %s "$work/trace-traced.jsonl")
echo "E1 plain req/s: ${plain[*]} (median $p)"
echo "E1 traced req/s: ${traced[*]} (median $t); last run recorded $spans spans"
echo "F1 trace bytes: $trace_bytes binary, $json_bytes as JSON Lines ($(awk -v b="$trace_bytes" -v j="$json_bytes" 'BEGIN {if (j > 0) printf "%.3f", b/j}')x; budget ≤ 0.167)"
grep '"process"' "$work/trace-traced.jsonl" | tail -1
ratio=$(awk -v t="$t" -v p="$p" 'BEGIN {printf "%.3f", t/p}')
echo "E1 ratio traced/plain: $ratio (budget ≥ 0.95)"
pc=$(median "${plaincpu[@]}") tc=$(median "${tracedcpu[@]}")
cpuratio=$(awk -v t="$tc" -v p="$pc" 'BEGIN {printf "%.3f", t/p}')
echo "E1 server CPU per request: plain ${plaincpu[*]} µs (median $pc), traced ${tracedcpu[*]} µs (median $tc): ${cpuratio}x (budget ≤ 1.10)"

# W1: write(2) calls to the trace file a second, counted by strace on one
# more traced run (strace slows the server, so the count is also scaled to
# the untraced-by-strace request rate: writes per request × median req/s).
w1() {
  local out="$work/w1.addr" trace="$work/trace-w1.bin"
  rm -f "$out" "$trace"
  AUTOTRACE_OUT="$trace" "$work/server-traced" > "$out" &
  local pid=$!
  for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
  local fd=""
  for f in /proc/$pid/fd/*; do [ "$(readlink "$f")" = "$trace" ] && fd=${f##*/}; done
  strace -f -qq -e trace=write -o "$work/strace.txt" -p $pid &
  local spid=$!
  sleep 0.5
  local rps
  rps=$("$work/load" -url "http://$(head -1 "$out")/basket?ids=3,14,15,92,65,35,89,79" -c "$clients" -d "$dur")
  kill -INT $spid; wait $spid 2>/dev/null || true
  kill -TERM $pid; wait $pid 2>/dev/null || true
  local n
  n=$(grep -c "write($fd," "$work/strace.txt" || true)
  awk -v n="$n" -v d="${dur%s}" -v rps="$rps" -v full="$t" -v fd="$fd" \
    'BEGIN {printf "W1 writes to the trace (fd %s): %d in %ss at %s req/s under strace = %.1f/s; scaled to %s req/s: %.1f/s (budget ≤ 20)\n", fd, n, d, rps, n/d, full, n/(rps*d)*full}'
}
if command -v strace >/dev/null && [ "${W1:-1}" = 1 ]; then
  w1
fi
awk -v r="$ratio" -v c="$cpuratio" 'BEGIN {exit !(r >= 0.95 && c <= 1.10)}'
