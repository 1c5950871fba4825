// Package activetime reads a Go execution trace recorded with
// AUTOTRACE_EXECTRACE (or an AUTOTRACE_SLOW snapshot), in which every
// autotrace span is a runtime/trace task carrying its span id in a log
// entry ("autotrace.span") and a region on its goroutine, and tells where
// each span's time went: on CPU, runnable (waiting for a P), or blocked,
// by reason (channel, select, sync, network, syscall, sleep, GC, other),
// and at which code locations spans block.
//
// A goroutine's time belongs to the innermost region open on it and to
// every ancestor task of that region's task: a span's time is inclusive of
// its children's, and of every goroutine that worked for it (a goroutine
// adopted by the span runs in a region of its task). On the span's own
// goroutine the categories add up to the span's wall time; other
// goroutines add to it (Span.Others says how much).
package activetime
