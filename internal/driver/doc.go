// Package driver runs the rewriter over packages on disk: it loads them
// with go/packages (build tags, cgo and all, as the compiler sees them),
// hands each file and its type facts to package rewrite, and writes the
// results atomically. It is what gen, check, diff and strip share; the
// command line stays in cmd/autotrace.
package driver
