// Package toolexec is autotrace's go build -toolexec mode:
//
//	go build -toolexec='autotrace [-all] [-pkgs PATTERNS]' ./...
//
// The go command runs every tool through autotrace. Everything but the
// compiler and the linker passes through untouched. For compile -V=full,
// which the go command asks to key its build cache, autotrace appends its
// own version and a hash of its options, so instrumented and plain objects
// never share a cache entry. A compile of a selected package (by default
// the packages of the main module) is type-checked against the export data
// its -importcfg lists, rewritten with package rewrite into the build's
// work directory with //line directives that keep every original position,
// and handed to the real compiler. The runtime the rewritten code calls is
// built by a nested go list -export, which never runs autotrace, and added
// to the compile and link import configurations when the build lacks it.
//
// Files, one job each: parse.go (the command line), session.go (what the
// go invocation is building, computed once per go command), version.go
// (-V=full), compile.go, typecheck.go, lines.go (//line directives),
// runtimepkg.go (the runtime's export data), link.go, run.go (exec).
package toolexec
