package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/autotrace/autotrace/tracefile"
)

// cmdCat prints trace files, binary or JSON Lines, as JSON Lines (DESIGN
// §6): `autotrace cat TRACE... | jq` works whatever format the runtime
// wrote. Torn chunks are skipped and reported on stderr.
func cmdCat(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (len(args[0]) > 1 && args[0][0] == '-') {
		if len(args) > 0 {
			fmt.Fprintf(stderr, "autotrace cat: unknown flag %s\n", args[0])
		}
		printUsage(stderr, lookup("cat"))
		return exitUsage
	}
	w := bufio.NewWriterSize(stdout, 256<<10)
	status := exitOK
	for _, name := range args {
		if err := catFile(w, stderr, name); err != nil {
			fmt.Fprintf(stderr, "autotrace cat: %v\n", err)
			status = exitUsage
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "autotrace cat: %v\n", err)
		return exitUsage
	}
	return status
}

func catFile(w io.Writer, stderr io.Writer, name string) error {
	var in io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return fmt.Errorf("%s is a directory", name)
		}
		in = f
	} else {
		name = "stdin"
	}
	st, err := tracefile.Cat(w, in)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if st.Torn > 0 || st.Unreadable > 0 {
		fmt.Fprintf(stderr, "autotrace cat: %s: skipped %d torn chunks and %d unreadable records\n", name, st.Torn, st.Unreadable)
	}
	return nil
}
