//go:build !unix

package main

import "github.com/rogpeppe/go-internal/testscript"

// cmdAsNobody needs Unix credentials; elsewhere the check is skipped.
func cmdAsNobody(ts *testscript.TestScript, neg bool, args []string) {
	ts.Skip("as-nobody: no unprivileged user to run as on this system")
}
