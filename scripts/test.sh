#!/usr/bin/env bash
# Every test autotrace has, as CI runs them: vet, go mod tidy -diff, the unit, golden and
# testscript tests (with delve installed for the debugger script), in each trace
# format, the runtime under -race, a short fuzz of the rewriter,
# the browser test of the HTML report, a subset of the real-module corpus
# (scripts/corpus; CORPUS=M1,M2 picks others), the demo end to end and
# autotrace compare on the example.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() { printf '\n== %s (at %ds)\n' "$*" "$SECONDS"; }

step "gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '^testdata/') 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "not gofmt-clean: $unformatted"; exit 1; fi
go vet ./...

step "go mod tidy -diff: go.mod and go.sum as tidy leaves them (main module and otel/)"
go mod tidy -diff
(cd otel && go mod tidy -diff)

step "delve, for the debugger testscript (cached)"
# The toolexec_delve testscript skips without dlv; here it must run.
dlvdir=${AUTOTRACE_CACHE:-$HOME/.cache/autotrace}/dlv-v1.27.2
if [ ! -x "$dlvdir/dlv" ]; then
  GOBIN="$dlvdir" go install github.com/go-delve/delve/cmd/dlv@v1.27.2
fi
export PATH="$dlvdir:$PATH"
dlv version | head -2

step "go test ./..."
go test -count=1 -timeout 45m ./...

step "go test ./... again, every trace written as JSON Lines (AUTOTRACE_FORMAT=jsonl)"
AUTOTRACE_FORMAT=jsonl go test -count=1 -timeout 45m ./...

step "go test -race ./runtime/"
go test -count=1 -race ./runtime/

# Fuzz budgets are counts of executions, not durations: Go 1.26's coordinator can fail a
# -fuzztime=30s run with "context deadline exceeded" and no crasher when a loaded machine
# starves a worker at the deadline (golang/go#75804, fixed in Go 1.27).
step "fuzz the rewriter (${FUZZGEN:=50000x})"
go test -run '^$' -fuzz FuzzGen -fuzztime "$FUZZGEN" ./rewrite/

step "fuzz the trace decoder (${FUZZDECODE:=150000x})"
go test -run '^$' -fuzz FuzzDecode -fuzztime "$FUZZDECODE" -fuzzminimizetime 2000x ./tracefile/

if [ -x scripts/browser/test.sh ]; then
  step "browser test of the HTML report"
  scripts/browser/test.sh
fi

step "corpus: real modules' own tests stay green instrumented (${CORPUS:=github.com/google/uuid,github.com/pkg/errors,github.com/BurntSushi/toml})"
(cd scripts/corpus && go run . -modules "$CORPUS")

step "go test the OpenTelemetry bridge module (otel/)"
(cd otel && go vet ./... && go test -count=1 ./... && go test -count=1 -race ./...)

step "jaeger: OpenTelemetry interop against a real Jaeger (built once, cached)"
scripts/jaeger.sh

step "demo: instrument, run and report on the bundled example"
scripts/demo.sh

step "compare: the example against a build with a slower query (exit 1, naming it)"
out=$(mktemp)
status=0
scripts/compare-example.sh | tee "$out" || status=$?
[ "$status" = 1 ] || { echo "compare-example.sh: exit $status, want 1"; exit 1; }
grep -q '^main\.(\*Store)\.query .* slower$' "$out" || { echo "compare-example.sh: main.(*Store).query not flagged slower"; exit 1; }
rm "$out"
echo
echo "all steps passed in ${SECONDS}s"
