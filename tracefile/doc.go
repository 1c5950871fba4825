// Package tracefile reads autotrace trace files in either format the
// runtime writes: the binary format of docs/trace-format.md (chunks from
// any number of processes, torn chunks detected, counted and skipped) and
// JSON Lines. Reader decodes the binary format into spans and process
// records; AppendSpanJSON and AppendProcessJSON write them as the
// runtime's JSON writer does, byte for byte; JSONLines turns a file of
// either format into its JSON Lines view, for readers that parse JSON.
package tracefile
