package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/autotrace/autotrace/rewrite"
)

// cmdHelp runs `autotrace help [command]`: the command list, or one
// command's usage, flags and example, on stdout.
func cmdHelp(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		printCommandList(stdout)
		return exitOK
	case 2:
		if args[0] == "rules" {
			text, _, ok := rewrite.RuleSetText(args[1])
			if ok {
				fmt.Fprint(stdout, text)
				return exitOK
			}
			fmt.Fprintf(stderr, "autotrace help rules: unknown rule set %q (sets: %s)\n", args[1], strings.Join(rewrite.RuleSetNames(), ", "))
			return exitUsage
		}
		fmt.Fprintln(stderr, "usage: autotrace help [command]")
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

// rulesHelp is the text of autotrace help rules: what a rule is, and each
// shipped set with the functions and attributes it records.
func rulesHelp() string {
	var b strings.Builder
	b.WriteString(`A rule is a span directive, in any file of the main module, that names a
function of another package (a dependency, the standard library) by its
import path and the name the Go runtime gives it:

	//autotrace:span database/sql.(*DB).queryDC name=sql.query attrs=db.query.text=query

Under go build -toolexec=autotrace that function is instrumented where its
package is compiled, as the same directive in its doc comment would (span
name, context, errors, panics, attrs=); rules also take end(PATH), a
field's value at return (through one checked type assertion,
rw.(*response).status, if need be), propagate=PARAM, which sends the span's W3C
trace context in the headers of an *http.Request parameter, and
rename=KEY,KEY|KEY,…, which names the span as it ends from the values of
its attrs= keys (the first non-empty of KEY|KEY), joined by spaces. gen and check
resolve rules and report an unknown package, function or attrs item at
the rule; they do not rewrite other packages. A set is switched on by
//autotrace:rules SET… in a file of the main module or by -rules SET,…;
autotrace help rules SET prints its text, to copy and change.

The rule sets:
`)
	for _, n := range rewrite.RuleSetNames() {
		_, summary, _ := rewrite.RuleSetText(n)
		rules, _ := rewrite.RuleSet(n)
		fmt.Fprintf(&b, "\n%s\n", wrap(n+": "+summary, 72))
		for _, r := range rules {
			fmt.Fprintf(&b, "\t%s\n", r.Key())
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// wrap breaks text into lines of at most width bytes at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
