"""Known answers for scripts/scale.sh, computed apart from report: reads
`autotrace cat` JSON Lines on stdin and prints, per span name, its count,
total and self time (duration minus the union of its children's intervals
clipped to it), the number of roots, the spans whose parent is missing,
and the longest root: the json report must say the same.
"""
import json
import sys
from collections import defaultdict

spans = {}  # (trace, span) -> (parent, start, end, name)
for line in sys.stdin:
    d = json.loads(line)
    if "span_id" not in d:
        continue
    s = d["start_ns"]
    spans[(d["trace_id"], d["span_id"])] = (d.get("parent_id", ""), s, s + max(d["dur_ns"], 0), d["name"])

kids = defaultdict(list)
roots, orphans, longest = 0, 0, None
for (tr, sid), (parent, s, e, name) in spans.items():
    if not parent:
        roots += 1
        if longest is None or e - s > longest[0]:
            longest = (e - s, tr, name)
    elif (tr, parent) in spans:
        kids[(tr, parent)].append((s, e))
    else:
        orphans += 1

stat = defaultdict(lambda: [0, 0, 0])  # count, total, self
for k, (parent, s, e, name) in spans.items():
    cov, until = 0, s
    for cs, ce in sorted(kids.get(k, ())):
        cs, ce = max(cs, until), min(ce, e)
        if ce > cs:
            cov += ce - cs
            until = ce
    st = stat[name]
    st[0] += 1
    st[1] += e - s
    st[2] += e - s - cov

print(json.dumps({
    "roots": roots,
    "orphans": orphans,
    "longest": {"dur_ns": longest[0], "trace_id": longest[1], "root": longest[2]} if longest else None,
    "hotspots": {n: {"count": c, "total_ns": t, "self_ns": sf} for n, (c, t, sf) in stat.items()},
}))
