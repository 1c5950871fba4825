// Package rewrite is autotrace's source rewriter: a pure library that takes
// the bytes of a Go file plus what the type checker knows about it and
// returns the instrumented bytes, or the original bytes with instrumentation
// removed.
//
// Edits are byte splices at positions found with go/parser, never a reprint
// of the file, so everything gen does not touch (comments, layout, even code
// that is not gofmt-clean) comes back byte for byte, and Strip(Gen(src)) ==
// src holds for every file gen accepts.
//
// Gen is Strip followed by Instrument, which is what makes it idempotent:
// instrumenting already-instrumented code first removes the old
// instrumentation, so stale names are refreshed and a second run changes
// nothing.
package rewrite

// RuntimePath is the import path of the package generated code calls.
const RuntimePath = "github.com/autotrace/autotrace/runtime"

// defaultAlias is the name generated code uses for RuntimePath unless the
// file already uses that identifier.
const defaultAlias = "autotrace"
