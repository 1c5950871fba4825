#!/usr/bin/env bash
# Browser test of the HTML report: renders the report of a checked-in trace
# in headless Chromium (Debian's package) driven by playwright-core, fails on
# any console or page error, and exercises the flame graph, the timeline and
# the table. Prints the screenshot path and "browser: N passed, M failed".
#
#   scripts/browser/test.sh [TRACE…]   # default: testdata/report/service.jsonl
#   SHOT=docs/report-html.png scripts/browser/test.sh   # also copy the screenshot
#
# A second page, `report -by item -by len(items)` of
# testdata/report/attrs.jsonl (the bundled example's trace, with
# attributes), checks the -by rows, picking the key on the page, and the
# attributes in the timeline's tooltip.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${AUTOTRACE_NODE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/autotrace-browser-test}
playwright_version=1.56.1
chromium=/usr/bin/chromium

if [ ! -x "$chromium" ]; then
	echo "browser: installing chromium" >&2
	apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -f "$cache/node_modules/playwright-core/package.json" ] ||
	! grep -q "\"version\": \"$playwright_version\"" "$cache/node_modules/playwright-core/package.json"; then
	echo "browser: installing playwright-core $playwright_version in $cache" >&2
	mkdir -p "$cache"
	(cd "$cache" && [ -f package.json ] || echo '{"private":true}' >"$cache/package.json")
	(cd "$cache" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund "playwright-core@$playwright_version" >/dev/null)
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/autotrace-browser.XXXXXX")
(cd "$root" && go run ./cmd/autotrace report -format html -o "$out/report.html" "${@:-testdata/report/service.jsonl}")
NODE_PATH="$cache/node_modules" CHROMIUM="$chromium" node "$root/scripts/browser/check.cjs" "$out/report.html" "$out/report.png"
if [ -n "${SHOT:-}" ]; then
	cp "$out/report.png" "$root/$SHOT"
fi
(cd "$root" && go run ./cmd/autotrace report -format html -by item -by 'len(items)' -o "$out/attrs.html" testdata/report/attrs.jsonl)
NODE_PATH="$cache/node_modules" CHROMIUM="$chromium" ATTRS=item node "$root/scripts/browser/check.cjs" "$out/attrs.html" "$out/attrs.png"
