// Package driver runs the rewriter over packages on disk: it finds them
// with the go command (build tags, cgo and all, as the compiler sees them),
// hands each file and its facts to package rewrite, and writes the results
// atomically. It is what gen, check, diff and strip share; the command line
// stays in cmd/autotrace.
//
// Gen type-checks only the packages whose output may depend on types
// (rewrite.Prepare.Syntax says which, and why); the others get facts from
// syntax, which for them are provably the same, so the output is the same
// byte for byte. While go list runs, the driver guesses its answer and does
// that work on the guess, used when go list agrees. AUTOTRACE_TYPED=1
// type-checks every package with go/packages, as every run once did;
// AUTOTRACE_TYPED=why prints what is type-checked and why.
package driver
