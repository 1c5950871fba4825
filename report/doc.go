// Package report implements `autotrace report`: it reads trace files written
// by the autotrace runtime (JSON Lines, one span or process record a line)
// and writes a hotspot table, JSON, a Chrome trace (Perfetto,
// chrome://tracing), folded stacks (speedscope, inferno, flamegraph.pl) or a
// self-contained HTML page with a flame graph, a timeline and a sortable
// table.
//
// Input is streamed: memory stays bounded whatever the size of the input,
// except for the chrome format, which is a conversion of every span and
// keeps about 80 bytes per span. Lines that cannot be read are counted and
// named (file:line), never fatal.
package report
