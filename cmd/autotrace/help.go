package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// cmdHelp runs `autotrace help [command]`: the command list, or one
// command's usage, flags and example, on stdout.
func cmdHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		printCommandList(stdout)
		return exitOK
	case 1:
		if c := lookup(args[0]); c != nil {
			printHelp(stdout, c)
			return exitOK
		}
		fmt.Fprintf(stderr, "autotrace help: unknown command %q\nRun 'autotrace help' for the list.\n", args[0])
	default:
		fmt.Fprintln(stderr, "usage: autotrace help [command]")
	}
	return exitUsage
}

// printCommandList prints what `autotrace help` prints, as `go help` does.
func printCommandList(w io.Writer) {
	fmt.Fprint(w, `Autotrace instruments Go functions with timing spans at the source level
and reports on what they record.

Usage:

	autotrace <command> [arguments]

The commands are:

`)
	for _, c := range commands {
		if c.run != nil {
			fmt.Fprintf(w, "\t%-9s %s\n", c.name, c.short)
		}
	}
	fmt.Fprint(w, `
Under go generate, autotrace with no command instruments the package of
$GOFILE (//go:generate autotrace, or go tool autotrace).

Use "autotrace help <command>" for more information about a command.

Additional help topics:

`)
	for _, c := range commands {
		if c.run == nil {
			fmt.Fprintf(w, "\t%-9s %s\n", c.name, c.short)
		}
	}
	fmt.Fprintln(w)
}

// printHelp prints c's usage, description, flags and example.
func printHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.synopsis, c.long)
	if hasFlags(c) {
		fmt.Fprint(w, "\nFlags:\n")
		c.flags(w)
	}
	fmt.Fprintf(w, "\nExample:\n\n\t%s\n", strings.ReplaceAll(c.example, "\n", "\n\t"))
}

// printUsage prints c's help for a usage error: the same text as
// autotrace help NAME and NAME -h, every flag and format in it.
func printUsage(w io.Writer, c *command) { printHelp(w, c) }

// wantsHelp reports whether args, a command's arguments, ask for its help
// (-h, -help or --help before any "--").
func wantsHelp(args []string) bool {
	if i := slices.Index(args, "--"); i >= 0 {
		args = args[:i]
	}
	return slices.ContainsFunc(args, func(a string) bool {
		return a == "-h" || a == "-help" || a == "--help"
	})
}
