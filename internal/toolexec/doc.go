// Package toolexec is autotrace's go build -toolexec mode:
//
//	go build -toolexec='autotrace [-all] [-pkgs PATTERNS]' ./...
//
// (also go test, go run, go install). The go command runs every tool
// through autotrace; everything but the compiler and the linker passes
// through untouched, by exec.
//
// Cache keys. The go command asks compile -V=full for the compiler's
// identity, which is part of every compile's cache key. autotrace answers
// with the compiler's own line plus " autotrace=VERSION:HASH", HASH
// covering its binary, its options, the runtime package the module
// resolves and the locally replaced modules' directories (for a
// development toolchain the tag also goes into the buildID= field, which
// is then the key). Instrumented and plain objects
// therefore never share a cache entry, and a plain build after an
// instrumented one reuses its earlier results.
//
// Selection. By default the packages instrumented are the main
// module's (a workspace's modules'): those outside GOROOT, the module
// cache, vendor directories and the directories of modules replaced by
// local directories (read from go.mod and go.work when the session is
// computed). -pkgs names packages instead, by import path pattern or
// directory (./...). The choice depends on the package's directory, which
// the go command's cache keys hold, and on the replaced directories,
// which the tag holds; so the tag needs no module identity, and the
// standard library compiled for one module serves every other without
// local replacements.
//
// Compile. For a selected package autotrace type-checks the files against
// the export data its -importcfg lists, runs package rewrite over each
// (not _test.go files, generated files or the go command's own, such as
// _cgo_gotypes.go; a file that cmd/cover or cmd/cgo wrote from one of the
// package's, line for line, stands for that file), writes those that
// change into the action's directory in $WORK with //line directives that
// give every line its original position (panics, compiler errors and
// debuggers see the original files), and runs the compiler on them, with
// the runtime added to the import configuration when the package did not
// import it.
//
// Runtime. Its export data, and that of everything it imports, comes from
// a nested go list -export -deps run in the go command's directory with
// AUTOTRACE_TOOLEXEC_DEPTH set (an autotrace started under it passes every
// tool through), so it never recurses. The nested command's compiler
// identity is the outer build's, so the standard library packages both
// need are compiled once; the answer is cached until its files leave the
// build cache. The linker's
// import configuration must list every package of the program: autotrace
// adds the runtime's closure whenever the module can build it.
//
// State. The go command runs -V=full from its own directory before any
// compile, and the compiles in their packages' directories; autotrace
// computes the session (GOROOT, GOMODCACHE, the runtime's identity) at
// -V=full, caches it across go commands, and publishes it for the
// compiles in a file named after the go command's process id.
//
// Files: parse.go (the command line), run.go (dispatch, exec), version.go
// (-V=full), session.go, replaced.go (locally replaced modules),
// select.go, compile.go (also what cmd/cover and cmd/cgo wrote),
// typecheck.go, lines.go (//line directives), runtimepkg.go (the
// runtime's export data), goflags.go (the go command's build flags),
// testmain.go, link.go.
package toolexec
