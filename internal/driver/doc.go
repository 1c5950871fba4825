// Package driver runs the rewriter over packages on disk: it finds them
// with the go command (build tags, cgo and all, as the compiler sees them),
// hands each file and its facts to package rewrite, and writes the results
// atomically. It is what gen, check, diff and strip share; the command line
// stays in cmd/autotrace.
//
// Gen type-checks only the packages whose output may depend on types
// (rewrite.Prepare.Syntax says which, and why); the others get facts from
// syntax, which for them are provably the same, so the output is the same
// byte for byte. For patterns of the main module's directories (./...) it
// asks the go command only for its build context and module facts (go list
// -m, which loads no package) and walks the directories itself as go list
// -find would, leaving anything go list might see otherwise to go list
// (walk.go). Meanwhile it guesses the answer with this binary's own build
// context and does that work on the guess, used when the answer agrees.
// AUTOTRACE_TYPED=1 type-checks every package with go/packages, as every
// run once did; AUTOTRACE_TYPED=why prints what is type-checked and why.
package driver
