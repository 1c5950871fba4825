package compare

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Usage prints the command's help after a usage error and for -h. The
// autotrace command sets it to its help table's text for compare, so that
// every way of asking prints the same; by default it prints the flags.
var Usage = func(w io.Writer) {
	fmt.Fprintln(w, "usage: autotrace compare [flags] BASE… -- HEAD…\n\nFlags:")
	PrintFlags(w)
}

// Exit statuses.
const (
	exitOK         = 0
	exitRegression = 1
	exitUsage      = 2
)

// newFlagSet defines compare's flags, setting opt's fields; the string
// flags Options.set checks are returned.
func newFlagSet(opt *Options) (fs *flag.FlagSet, metric, format, only, skip *string) {
	fs = flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.Func("threshold", "smallest change that counts, in percent (`10%`)", func(s string) error {
		v, err := parsePercent(s)
		opt.Threshold = v
		return err
	})
	fs.Float64Var(&opt.Alpha, "alpha", opt.Alpha, "significance level: a change counts when p < `alpha`")
	metric = fs.String("metric", string(opt.Metric), "time to test: self or total")
	format = fs.String("format", Formats[0], "output `format`: "+strings.Join(Formats, ", "))
	only = fs.String("only", "", "compare only spans whose name matches `regexp`")
	skip = fs.String("skip", "", "leave out spans whose name matches `regexp`")
	fs.IntVar(&opt.MinCount, "min-count", opt.MinCount, "spans of a name needed on each side for a verdict (`N`)")
	fs.BoolVar(&opt.Calls, "calls", opt.Calls, "fail when calls per root trace grow by more than the threshold (-calls=false: report only)")
	return fs, metric, format, only, skip
}

// PrintFlags prints compare's flags and their defaults, for autotrace help.
func PrintFlags(w io.Writer) {
	opt := DefaultOptions
	fs, _, _, _, _ := newFlagSet(&opt)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// Command runs `autotrace compare`; args are those after "compare". It
// writes the comparison to stdout, diagnostics to stderr, and returns the
// exit status.
func Command(args []string, stdout, stderr io.Writer) int {
	opt := DefaultOptions
	fs, metric, format, only, skip := newFlagSet(&opt)
	fs.SetOutput(stderr)
	fs.Usage = func() { Usage(stderr) }
	sep := slices.Index(args, "--")
	if sep < 0 {
		if slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "-help" || a == "--help" }) {
			fs.Usage()
			return exitOK
		}
		fmt.Fprintln(stderr, "compare: want BASE… -- HEAD…")
		fs.Usage()
		return exitUsage
	}
	// Flags may come before, between or after the trace files.
	baseFiles, err := parseFiles(fs, args[:sep])
	if err != nil {
		return usageStatus(err)
	}
	headFiles, err := parseFiles(fs, args[sep+1:])
	if err != nil {
		return usageStatus(err)
	}
	if len(baseFiles) == 0 || len(headFiles) == 0 {
		fmt.Fprintln(stderr, "compare: want at least one trace file on each side of --")
		return exitUsage
	}
	if err := opt.set(*metric, *format, *only, *skip); err != nil {
		fmt.Fprintln(stderr, "compare:", err)
		return exitUsage
	}

	// Read the sides at once: each is one goroutine's work.
	var base, head *Side
	var baseErr, headErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		head, headErr = Read(headFiles)
	}()
	base, baseErr = Read(baseFiles)
	<-done
	for _, err := range []error{baseErr, headErr} {
		if err != nil {
			fmt.Fprintln(stderr, "compare:", err)
			return exitUsage
		}
	}
	for _, s := range []struct {
		label string
		side  *Side
	}{{"base", base}, {"head", head}} {
		for _, at := range s.side.MalformedAt {
			fmt.Fprintf(stderr, "compare: %s: %s\n", s.label, at)
		}
		if s.side.Spans == 0 {
			fmt.Fprintf(stderr, "compare: no spans in the %s traces (%s)\n", s.label, strings.Join(s.side.Files, " "))
			return exitUsage
		}
	}
	res := Compare(base, head, opt)
	if err := Write(stdout, *format, res); err != nil {
		fmt.Fprintln(stderr, "compare:", err)
		return exitUsage
	}
	if res.Regressions() > 0 {
		return exitRegression
	}
	return exitOK
}

// usageStatus is the exit status for a flag parsing error.
func usageStatus(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}

// parseFiles parses flags and collects the other arguments as files.
func parseFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return files, nil
		}
		files = append(files, args[0])
		args = args[1:]
	}
}

// set checks and applies the flags given as strings.
func (o *Options) set(metric, format, only, skip string) error {
	switch Metric(metric) {
	case Self, Total:
		o.Metric = Metric(metric)
	default:
		return fmt.Errorf("unknown -metric %q (want self or total)", metric)
	}
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("unknown -format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return fmt.Errorf("-alpha %v is not between 0 and 1", o.Alpha)
	}
	if o.MinCount < 1 {
		o.MinCount = 1
	}
	var err error
	if only != "" {
		if o.Only, err = regexp.Compile(only); err != nil {
			return fmt.Errorf("-only: %v", err)
		}
	}
	if skip != "" {
		if o.Skip, err = regexp.Compile(skip); err != nil {
			return fmt.Errorf("-skip: %v", err)
		}
	}
	return nil
}

// parsePercent reads "10%" or "10" as the fraction 0.10.
func parsePercent(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("want a percentage such as 10%%, not %q", s)
	}
	return v / 100, nil
}
