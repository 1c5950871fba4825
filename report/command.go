package report

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/autotrace/autotrace/internal/hotspot"
)

// Formats lists the output formats, the default first.
var Formats = []string{"table", "json", "chrome", "perfetto", "folded", "html", "pprof"}

// Usage prints the command's help after a usage error and for -h. The
// autotrace command sets it to its help table's text for report, so that
// every way of asking prints the same; by default it prints the flags.
var Usage = func(w io.Writer) {
	fmt.Fprintln(w, "usage: autotrace report [flags] TRACE…\n\nFlags:")
	PrintFlags(w)
}

// Command runs `autotrace report`; args are those after "report". It writes
// the report to stdout (or -o FILE), diagnostics and progress (on a terminal
// only) to stderr, and returns the exit status: 0 done, 2 usage error or
// unreadable input. Malformed lines are counted and named, not fatal.
func Command(args []string, stdout, stderr io.Writer) int {
	fs, f := newFlagSet()
	format, out, top := &f.format, &f.out, &f.top
	fs.SetOutput(stderr)
	fs.Usage = func() { Usage(stderr) }
	// Flags may come before or after the trace files.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return 0
			}
			return 2
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		files = append(files, args[0])
		args = args[1:]
	}
	if !slices.Contains(Formats, *format) {
		fmt.Fprintf(stderr, "report: unknown format %q (want one of %s)\n", *format, strings.Join(Formats, ", "))
		return 2
	}
	if *top < 0 {
		fmt.Fprintln(stderr, "report: -top must not be negative")
		return 2
	}
	if len(f.by) > 0 && (*format == "chrome" || *format == "perfetto" || *format == "folded") {
		fmt.Fprintf(stderr, "report: the %s format does not break rows down; ignoring -by\n", *format)
		f.by = nil
	}
	filter := attrFilter{by: f.by}
	for _, key := range f.by {
		filter.pow2 = append(filter.pow2, defaultPow2(key) && !f.pow2.set || f.pow2.v)
	}
	if f.where != "" {
		k, v, ok := strings.Cut(f.where, "=")
		if !ok || k == "" {
			fmt.Fprintf(stderr, "report: -where %q: want KEY=VALUE\n", f.where)
			return 2
		}
		filter.whereKey, filter.whereVal = k, v
	}
	files, execFiles := splitExecTraces(files, f.execFiles)
	if len(files) == 0 && len(execFiles) == 0 {
		fmt.Fprintln(stderr, "report: no trace files")
		fs.Usage()
		return 2
	}
	r := &run{format: *format, top: *top, stderr: stderr, filter: filter, raw: f.raw}
	if isTerminal(stderr) {
		r.prog.w = stderr
	}
	defer r.cleanup()
	if err := r.open(files); err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 2
	}
	// chrome and perfetto are written while the trace is read (timeline).
	streamed := *format == "chrome" || *format == "perfetto"
	var d *data
	var err, werr error
	if streamed {
		werr = writeOutput(*out, stdout, func(w io.Writer) error {
			var sink timelineSink = newChromeSink(w)
			if *format == "perfetto" {
				s, err := newPerfettoSink(w)
				if err != nil {
					return err
				}
				sink = s
			}
			r.tl = newTimeline(sink, maxWaiting)
			if d, err = r.analyse(); err != nil {
				return err
			}
			return r.tl.finish(d.res.Processes)
		})
		if err != nil {
			werr = nil // said below, as for other formats
		}
	} else {
		d, err = r.analyse()
	}
	r.prog.clear()
	if err == nil && len(execFiles) > 0 {
		if *format == "chrome" || *format == "perfetto" || *format == "folded" || *format == "pprof" {
			fmt.Fprintf(stderr, "report: the %s format does not show execution traces; ignoring %s\n", *format, strings.Join(execFiles, ", "))
		} else {
			d.active, err = analyseExec(execFiles, stderr)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 2
	}
	for _, msg := range r.filter.unmatched() {
		fmt.Fprintln(stderr, "report:", msg)
	}
	if *format == "chrome" && d.res.Spans > chromeWarnSpans {
		fmt.Fprintf(stderr, "report: %d spans make a chrome JSON file of some %d MB, more than the JSON import of Perfetto or chrome://tracing loads; -format perfetto writes the same timeline as Perfetto's protobuf trace (about %d MB), which ui.perfetto.dev loads\n",
			d.res.Spans, d.res.Spans*chromeBytesPerSpan>>20, d.res.Spans*perfettoBytesPerSpan>>20)
	}
	if err := d.res.SelectRows(f.rows); err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 2
	}
	if (f.rows.Only != nil || f.rows.Skip != nil) && len(d.res.Stats) == 0 && d.res.Spans > 0 {
		fmt.Fprintln(stderr, "report: -only/-skip left no span name")
	}
	if streamed {
		if werr != nil {
			fmt.Fprintln(stderr, "report:", werr)
			return 2
		}
		return 0
	}
	if err := writeOutput(*out, stdout, func(w io.Writer) error { return write(w, r.format, d) }); err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 2
	}
	return 0
}

// Past chromeWarnSpans spans (at about chromeBytesPerSpan bytes each, as
// measured on 5 M spans: 1.03 GB), a chrome file is too big for the JSON
// importers that read it, and the report says so and suggests perfetto
// (perfettoBytesPerSpan, measured alike).
const (
	chromeWarnSpans      = 1_000_000
	chromeBytesPerSpan   = 206
	perfettoBytesPerSpan = 98
)

// maxWaiting bounds the spans the chrome and perfetto layout keeps waiting
// for the rest of their trace (timeline); tests set it small.
var maxWaiting = defaultMaxWaiting

// flags holds the values of report's flags.
type flags struct {
	format, out string
	top         int
	execFiles   []string
	by          []string     // -by keys, in order
	pow2        optionalBool // -pow2, when given
	where       string       // -where KEY=VALUE
	raw         bool         // -raw
	rows        hotspot.RowFilter
}

func newFlagSet() (*flag.FlagSet, *flags) {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	f := new(flags)
	fs.StringVar(&f.format, "format", "table", "output `format`: "+strings.Join(Formats, ", "))
	fs.StringVar(&f.out, "o", "", "write the report to `FILE` instead of standard output")
	fs.IntVar(&f.top, "top", 10, "show the `N` slowest traces (table, json, html)")
	fs.Func("exectrace", "also analyse the execution trace `FILE` (repeatable)", func(s string) error {
		f.execFiles = append(f.execFiles, s)
		return nil
	})
	fs.Func("by", "break each span name's row down by the values of the attribute `KEY` (repeatable)", func(s string) error {
		f.by = append(f.by, s)
		return nil
	})
	fs.Var(&f.pow2, "pow2", "bucket the numbers of -by in powers of two (default: for len(…) keys)")
	fs.BoolVar(&f.raw, "raw", false, "times as measured: do not subtract what recording spans cost (see the footer)")
	fs.StringVar(&f.where, "where", "", "keep the traces with a span whose attribute is `KEY=VALUE`")
	fs.Func("only", "show only the rows of span names matching `REGEXP` (table, json, html)", func(s string) error {
		re, err := regexp.Compile(s)
		f.rows.Only = re
		return err
	})
	fs.Func("skip", "leave out the rows of span names matching `REGEXP` (table, json, html)", func(s string) error {
		re, err := regexp.Compile(s)
		f.rows.Skip = re
		return err
	})
	fs.Func("sort", "sort the rows by `COLUMN`: "+strings.Join(hotspot.SortColumns, ", ")+" (default self)", func(s string) error {
		if !slices.Contains(hotspot.SortColumns, s) {
			return fmt.Errorf("want one of %s", strings.Join(hotspot.SortColumns, ", "))
		}
		f.rows.Sort = s
		return nil
	})
	return fs, f
}

// PrintFlags prints report's flags and their defaults, for autotrace help.
func PrintFlags(w io.Writer) {
	fs, _ := newFlagSet()
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// write renders d in format.
func write(w io.Writer, format string, d *data) error {
	switch format {
	case "json":
		return writeJSON(w, d)
	case "folded":
		return writeFolded(w, d)
	case "pprof":
		return writePprof(w, d)
	case "html":
		return writeHTML(w, d)
	}
	if err := d.res.WriteTable(w, hotspot.Traces(d.top)); err != nil || d.active == nil {
		return err
	}
	if err := writeActiveTable(w, d.active, d.top); err != nil {
		return err
	}
	return writeActivePaths(w, activePaths(d))
}

// writeOutput runs fn on stdout, or on FILE written atomically (temp file,
// then rename) so a failed run leaves no half-written report, or straight
// on FILE when it is not a regular file (a device or pipe).
func writeOutput(path string, stdout io.Writer, fn func(io.Writer) error) error {
	if path == "" || path == "-" {
		return fn(stdout)
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		// A device or a pipe (-o /dev/null): write to it; a rename would
		// replace it with a regular file.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %v", path, err)
		}
		return f.Close()
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".report-*")
	if err != nil {
		return fmt.Errorf("write %s: %v", path, bareError(err))
	}
	defer os.Remove(f.Name())
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %v", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %v", path, bareError(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %v", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %v", path, bareError(err))
	}
	return nil
}

// bareError strips the path from a *fs.PathError or *os.LinkError, whose
// path is the temporary file's, so that messages name only the user's.
func bareError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// optionalBool is a boolean flag that knows whether it was given.
type optionalBool struct{ v, set bool }

func (b *optionalBool) String() string   { return strconv.FormatBool(b.v) }
func (b *optionalBool) IsBoolFlag() bool { return true }
func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	b.v, b.set = v, true
	return err
}
