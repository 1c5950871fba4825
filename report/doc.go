// Package report implements `autotrace report`: it reads trace files written
// by the autotrace runtime (JSON Lines, one span or process record a line)
// and writes a hotspot table, JSON, a Chrome or Perfetto trace (Perfetto,
// chrome://tracing), folded stacks (speedscope, inferno, flamegraph.pl), a
// pprof profile or a self-contained HTML page with a flame graph, a
// timeline and a sortable table.
//
// Input is streamed, parsed on one goroutine and aggregated on others, and
// read twice when the slowest traces are wanted (the second pass keeps only
// their spans). Memory stays bounded whatever the size of the input (about
// 20-50 MB for 1 GB of trace); the chrome and perfetto formats are written
// as the input is read, a trace at a time (timeline.go). Lines that cannot be read
// are counted and named (file:line), never fatal. Standard input ("-") is
// spooled to a temporary file.
//
// Go execution traces recorded with AUTOTRACE_EXECTRACE or AUTOTRACE_SLOW
// (given with -exectrace, or among the trace files, told apart by their
// header) add the active time of spans: on CPU, runnable and blocked by
// reason, and where they block (internal/activetime; exectrace.go). The
// analysis holds about 200 bytes per span of the execution trace.
package report
