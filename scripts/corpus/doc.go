// Command corpus instruments every function of real third-party modules
// (listed in /work/shared/corpus.txt, or -list FILE) with autotrace and
// checks that their own tests stay green.
//
// For each module it fetches the module with go mod download, copies it to
// a temporary directory, makes it require autotrace from this checkout,
// records the baseline with go test -vet=off -json ./..., and then runs the
// same tests after autotrace gen -all, under -toolexec='autotrace -all' on
// the original sources, and after gen with AUTOTRACE_OUT set. Every test
// that passes in the baseline must pass in every run (known.txt lists the
// only allowed exceptions: allocation-counting tests with recording on).
// It also checks that strip after gen gives every file back byte for byte,
// that a second gen changes nothing and that gen's output is the same when
// every package is type-checked (AUTOTRACE_TYPED=1) as when only those that
// need it are, and prints one table row per module and a summary line.
//
//	go run . [-modules M1,M2] [-timeout 10m] [-md FILE] [-toolexec=false]
//	go run . -g1        time gen -all against gofmt -l on the same files
//	go run . -fastpath  only the typed/untyped comparison, without tests
package main
