module github.com/autotrace/autotrace

go 1.25.0

require (
	github.com/google/pprof v0.0.0-20260830191439-4932ad3515ea
	github.com/rogpeppe/go-internal v1.16.0
	golang.org/x/exp v0.0.0-20260718201538-764159d718ef
	golang.org/x/mod v0.38.0
	golang.org/x/tools v0.48.0
)

require (
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
