package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress returns a progress reporter for long runs when w is a terminal,
// and nil (quiet) otherwise or under go generate.
func progress(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("GOFILE") != "" {
		return nil
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	var last time.Time
	return func(done, total int) {
		if now := time.Now(); done+1 == total || now.Sub(last) > 100*time.Millisecond {
			last = now
			fmt.Fprintf(f, "\rautotrace: %d/%d files", done+1, total)
			if done+1 == total {
				fmt.Fprint(f, "\r\033[K")
			}
		}
	}
}
