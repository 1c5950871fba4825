package main

import (
	"fmt"
	"io"

	"github.com/autotrace/autotrace/compare"
	"github.com/autotrace/autotrace/report"
)

// A command is one autotrace subcommand (or, with no run, a help topic):
// what runs it, and what `autotrace help NAME` and `autotrace NAME -h`
// print for it. Adding a command is adding one entry to commands.
type command struct {
	name     string
	synopsis string // the usage line
	short    string // one line for the command list of `autotrace help`
	long     string // what it does: a few lines, printed after the usage line
	example  string // one example: shell lines, # comments allowed
	// flags prints the command's flags and their defaults, from the flag
	// set the command parses with; nil when it has none to print.
	flags func(w io.Writer)
	// run runs the command with the arguments after its name and
	// returns the exit status; nil for a help topic.
	run func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order `autotrace help` shows them.
// It is set in init because the commands' usage errors print from it.
var commands []*command

func init() {
	commands = []*command{
		{
			name:     "gen",
			synopsis: "autotrace gen [-all] [-tags T] [-l] [-d] [packages]",
			short:    "instrument the packages in place, as their directives ask",
			long: `Gen adds a span to every function marked //autotrace:span (or in a file
marked //autotrace:all, or every function with -all), rewriting the files
in place; code it added before is refreshed. Packages are go list
patterns; the default is the current directory. Under go generate with
no arguments it instruments the package of $GOFILE.`,
			example: `autotrace gen -l ./...    # instrument the module, list the files that changed`,
			flags:   rewriteFlagDefaults("gen", true),
			run:     cmdGen,
		},
		{
			name:     "check",
			synopsis: "autotrace check [-all] [-tags T] [packages]",
			short:    "list what gen would change (CI); exit 1 if anything",
			long: `Check prints, vet-style (file:line:col: message), every function whose
instrumentation is missing or stale, and exits 1 when there is one: run
it in CI so that committed code is the code gen writes. An unused
//autotrace:skip is a warning.`,
			example: `autotrace check ./...     # exit 0: nothing to do; 1: run autotrace gen`,
			flags:   rewriteFlagDefaults("check", true),
			run:     cmdCheck,
		},
		{
			name:     "diff",
			synopsis: "autotrace diff [-all] [-tags T] [packages]",
			short:    "show what gen would change as a unified diff; exit 1 if anything",
			long:     `Diff prints the unified diff of what gen would write, and writes nothing.`,
			example:  `autotrace diff -all ./internal/...    # what -all would do, before doing it`,
			flags:    rewriteFlagDefaults("diff", true),
			run:      cmdDiff,
		},
		{
			name:     "strip",
			synopsis: "autotrace strip [-tags T] [-l] [-d] [packages]",
			short:    "remove what gen added, byte for byte",
			long: `Strip removes everything gen added: each file is byte-identical to what
it was before gen. The directives stay. Only code in the exact form gen
writes goes (its hygienic names, the runtime's Gen calls): hand-written
runtime calls stay byte for byte, with a warning naming each function that
holds some. Where your code uses a name gen declared, strip refuses (exit
2) rather than break the build. -d shows the diff and writes nothing.`,
			example: `autotrace strip ./... && git diff --stat    # back to the hand-written code`,
			flags:   rewriteFlagDefaults("strip", false),
			run:     cmdStrip,
		},
		{
			name:     "report",
			synopsis: "autotrace report [-format F] [-o FILE] [-top N] [-exectrace FILE] [-by KEY [-pow2]] [-where KEY=VALUE] [-only RE] [-skip RE] [-sort COLUMN] [-raw] TRACE...",
			short:    "analyse recorded traces: hotspot table, json, chrome, perfetto, folded, html, pprof",
			long: `Report analyses trace files recorded with AUTOTRACE_OUT ("-" reads
standard input), binary or JSON Lines, in the -format asked for:
  table   per span name: count, errors, panics, total, self, mean, p50, p95,
          p99, max, sorted by self time; the slowest traces and their
          critical paths (default)
  json    the same, machine-readable
  chrome  Chrome trace event JSON for ui.perfetto.dev and chrome://tracing
  perfetto
          the same timeline as a Perfetto protobuf trace (TrackEvent), which
          ui.perfetto.dev loads at sizes where JSON fails (about 50 bytes a span)
  folded  folded stacks with self time, for speedscope, inferno, flamegraph.pl
  html    one self-contained page: flame graph, timeline, hotspot table
  pprof   a profile for go tool pprof: span paths as stacks, self time and
          span counts as values
Execution traces recorded with AUTOTRACE_EXECTRACE or AUTOTRACE_SLOW, given
with -exectrace or among the trace files, add where each span's wall time
went: on CPU, runnable, or blocked by reason, and where spans block (table,
json, html).

-by KEY breaks each span name's row down by the values of the attribute KEY
(table, json, html): the 10 values with the most self time, the rest as one
"(other)" row, spans without KEY as "(none)". Numbers are bucketed in powers
of two (0, 1, 2-3, 4-7, …) with -pow2, the default for len(…) keys. -by may
be repeated: the html page then offers each key's breakdown in turn.
-where KEY=VALUE keeps only the traces with a span whose attribute KEY is
VALUE (a string as is, a number or bool as written). -only and -skip
choose rows by span name and -sort orders them (table, json, html): every
span still counts, so self times and percentages do not change. A filter
that matches nothing says so.

Times are compensated: when a trace carries the recorder's measured cost
of a span, each span's time has its children's recording cost taken off
(the footer says how much); -raw reports the times as measured. Input that is not a trace is an error
(exit 2); malformed lines and torn chunks are counted and named.`,
			example: `autotrace report -format html -o report.html trace.out`,
			flags:   report.PrintFlags,
			run:     cmdReport,
		},
		{
			name:     "cat",
			synopsis: "autotrace cat TRACE...",
			short:    "print traces, binary or JSON Lines, as JSON Lines",
			long: `Cat prints trace files ("-" is standard input) as JSON Lines, one span or
process record a line, the fields and values the runtime writes with
AUTOTRACE_OUT=FILE.jsonl: pipe it to jq. Chunks torn by a killed process
are skipped and counted on stderr. The binary format is specified in
docs/trace-format.md.`,
			example: `autotrace cat trace.out | jq -r 'select(.status == "error") | .name'`,
			run:     cmdCat,
		},
		{
			name:     "compare",
			synopsis: "autotrace compare [-threshold P%] [-alpha A] [-metric self|total] [-format F] [-only RE] [-skip RE] [-min-count N] [-calls=false] BASE... -- HEAD...",
			short:    "what got slower between two sets of traces (CI); exit 1 on a regression",
			long: `Compare reads the trace files of a base run (before --) and of a head run
(after it) and reports, per span name, count, calls per root trace,
median and p95 of self and total time, the change of the -metric median
and a two-sided Mann-Whitney U test of it. Exit status 1 when a span's
median got slower by more than -threshold with p < -alpha, or its calls
per root trace grew by more than -threshold; 0 otherwise; 2 for a usage
error or an unreadable trace file. Spans on one side only are listed,
never failed. -only and -skip are Go regular expressions (RE2 syntax),
matched anywhere in the span name, as go test -run matches test names.
Flags may come anywhere.`,
			example: `autotrace compare -format markdown base.out -- head.out > compare.md`,
			flags:   compare.PrintFlags,
			run:     cmdCompare,
		},
		{
			name:     "export",
			synopsis: "autotrace export [-endpoint URL] [-service NAME] TRACE...",
			short:    "send recorded traces to an OpenTelemetry (OTLP/HTTP) endpoint",
			long: `Export posts recorded traces to URL/v1/traces with OTLP/HTTP (JSON).
It runs the program autotrace-export: the one next to autotrace or on
PATH, else one it builds with the go command. Input that is not a trace
is an error (exit 2), checked before anything is sent.`,
			example: `autotrace export -endpoint http://localhost:4318 trace.out`,
			flags: func(w io.Writer) {
				fs := exportFlagSet()
				fs.SetOutput(w)
				fs.PrintDefaults()
			},
			run: cmdExport,
		},
		{
			name:     "go",
			synopsis: "autotrace go [-all] [-pkgs PATTERNS] [-rules SETS] build|install|run|test [go flags] [packages]",
			short:    "run the go command with -toolexec set to this autotrace",
			long: `Go runs the go command with -toolexec set to this autotrace's own
absolute path (and -all, -pkgs, -rules passed on): after go get -tool, run
go tool autotrace go build ./... with nothing on PATH. Autotrace's flags
come before the go command, the go command's after it. The exit status
is the go command's.`,
			example: `go tool autotrace go test ./...`,
			run:     cmdGo,
		},
		{
			name:     "version",
			synopsis: "autotrace version",
			short:    "print autotrace's version, platform and Go version",
			long:     `Version prints the module version autotrace was built from, GOOS/GOARCH and the Go release.`,
			example:  `autotrace version`,
			run:      cmdVersion,
		},
		{
			name:     "toolexec",
			synopsis: "go build -toolexec='autotrace [-all] [-pkgs PATTERNS] [-rules SETS]' [build flags] [packages]",
			short:    "instrument at compile time: go build -toolexec=autotrace",
			long: `Given to the go command as -toolexec, autotrace instruments the main
module's packages (or those -pkgs names, by import path pattern or
directory) as gen would, in the build's work directory: your files never
change. //line directives keep every position (panics, coverage,
debuggers). -all instruments every function. Rules in the main module's
files, and the shipped sets -rules names, instrument the functions of
other packages they name (autotrace help rules). The module must require
github.com/autotrace/autotrace. Also go test, go run, go install, and
GOFLAGS=-toolexec=autotrace.`,
			example: `go build -toolexec='autotrace -all' -o app . && AUTOTRACE_OUT=trace.out ./app`,
		},
		{
			name:     "rules",
			synopsis: "//autotrace:rules SET… (in a file of the main module), or -toolexec='autotrace -rules SET,…'",
			short:    "spans in code you do not own: rules and the shipped rule sets",
			long:     rulesHelp(),
			example:  `go build -toolexec='autotrace -rules http-server,http-client,database-sql' ./...`,
		},
	}
}

// The report and compare packages print their usage from this table too.
func init() {
	report.Usage = func(w io.Writer) { printHelp(w, lookup("report")) }
	compare.Usage = func(w io.Writer) { printHelp(w, lookup("compare")) }
}

// lookup returns the command or help topic named name, or nil.
func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func cmdVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "autotrace version: unexpected argument %q\n", args[0])
		printUsage(stderr, lookup("version"))
		return exitUsage
	}
	fmt.Fprintln(stdout, versionString())
	return exitOK
}

// rewriteFlagDefaults prints the flags gen, check, diff or strip parse.
func rewriteFlagDefaults(name string, withAll bool) func(io.Writer) {
	return func(w io.Writer) {
		fs, _, _ := rewriteFlagSet(name, withAll)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// hasFlags reports whether c's flags print anything.
func hasFlags(c *command) bool {
	if c.flags == nil {
		return false
	}
	var n countWriter
	c.flags(&n)
	return n > 0
}

type countWriter int

func (n *countWriter) Write(p []byte) (int, error) {
	*n += countWriter(len(p))
	return len(p), nil
}
