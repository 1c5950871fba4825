// Package hotspot aggregates finished spans into per-name statistics (count,
// errors, panics, total and self time, percentiles), an aggregated flame
// graph, and the slowest traces, in bounded memory and in one streaming pass.
//
// It is shared by `autotrace report`, which feeds it spans read from trace
// files, and by the autotrace runtime, which feeds it spans as they end to
// print the AUTOTRACE_SUMMARY table at shutdown. It uses only the standard
// library and no reflection or encoding/json, so linking it into an
// instrumented program costs little.
//
// Self time of a span is its duration minus the union of its children's
// intervals clipped to it: concurrent children that overlap are counted once.
// Children usually end, and so arrive, before their parent; their intervals
// wait in a bounded pending set until the parent arrives. A child that arrives
// after its parent (a goroutine that outlives it, or a parent read from an
// earlier file) is matched against a bounded window of recently finished
// spans. What does not fit is counted and reported, never silently lost.
package hotspot
