// Package compare implements `autotrace compare`, a gate for CI: it
// compares the spans recorded on a base run with those of a head run, name
// by name, and says which got slower or is called more often per trace.
//
// Each side is one or more trace files, read with report.ReadTrace (every
// format report reads). Per span name a side keeps the duration and the
// self time of every span, 8 bytes a span (float32 nanoseconds), with self time computed by the
// aggregator report uses (internal/hotspot): duration minus the union of
// the children's intervals. Per name it then gives the count, calls per
// root trace, median and p95 of both times, and a two-sided Mann–Whitney U
// test of the chosen metric, as benchstat does: the exact distribution of
// U for small samples (up to 50 a side, 25 with ties), the normal
// approximation with tie and continuity corrections beyond.
//
// A name regresses when its median got slower by more than the threshold
// with p below alpha, or its calls per root trace grew by more than the
// threshold (an N+1 loop is a regression however fast each call is).
package compare
