package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// readKnown reads the known differences: tests allowed to fail with
// recording on, one a line as
//
//	MODULE PACKAGE TEST: REASON
//
// Only tests that count allocations belong there; the reason says which
// count recording changes.
func readKnown(path string) (map[string]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	known := map[string]map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		head, reason, ok := strings.Cut(text, ":")
		fields := strings.Fields(head)
		if !ok || len(fields) != 3 || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: want MODULE PACKAGE TEST: REASON", path, line)
		}
		if known[fields[0]] == nil {
			known[fields[0]] = map[string]string{}
		}
		known[fields[0]][fields[1]+" "+fields[2]] = strings.TrimSpace(reason)
	}
	return known, sc.Err()
}
