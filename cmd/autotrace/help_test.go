package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/autotrace/autotrace/rewrite"
)

// runCLI runs autotrace in-process with args.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestHelpEveryCommand: `autotrace help NAME` prints the usage line, a
// description and one example, on stdout with status 0; `autotrace NAME -h`
// (and -help, --help) prints the same.
func TestHelpEveryCommand(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			code, help, stderr := runCLI("help", c.name)
			if code != exitOK || stderr != "" {
				t.Fatalf("help %s: exit %d, stderr %q; want 0 and nothing", c.name, code, stderr)
			}
			if !strings.HasPrefix(help, "usage: "+c.synopsis+"\n\n") {
				t.Errorf("help %s does not start with its usage line:\n%s", c.name, help)
			}
			if !strings.Contains(help, "\nExample:\n\n\t") || c.example == "" || c.long == "" {
				t.Errorf("help %s has no description or example:\n%s", c.name, help)
			}
			if c.run == nil {
				return // a help topic
			}
			for _, h := range []string{"-h", "-help", "--help"} {
				code, out, _ := runCLI(c.name, h)
				if code != exitOK || out != help {
					t.Errorf("%s %s: exit %d, output\n%s\nwant 0 and the output of help %s", c.name, h, code, out, c.name)
				}
			}
		})
	}
}

// TestHelpListsFlagsInSynopsis keeps each usage line true: every flag the
// command parses is in it, and in its help.
func TestHelpListsFlagsInSynopsis(t *testing.T) {
	flagName := regexp.MustCompile(`(?m)^  (-\w+)`)
	for _, c := range commands {
		if c.flags == nil {
			continue
		}
		var b bytes.Buffer
		c.flags(&b)
		for _, m := range flagName.FindAllStringSubmatch(b.String(), -1) {
			if !strings.Contains(c.synopsis, "["+m[1]) {
				t.Errorf("%s parses flag %s, which its usage line %q leaves out", c.name, m[1], c.synopsis)
			}
		}
	}
}

// TestUsageErrors: an unknown flag is named, followed by the command's
// usage; an unknown command or help topic is named; all exit 2.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args       []string
		wantStderr []string
	}{
		{[]string{"gen", "-nosuchflag"}, []string{"-nosuchflag", "usage: autotrace gen [", "-tags", "\nExample:"}},
		{[]string{"check", "-nosuchflag"}, []string{"-nosuchflag", "usage: autotrace check [", "-all"}},
		{[]string{"diff", "-l"}, []string{"-l", "usage: autotrace diff ["}},
		{[]string{"strip", "-all"}, []string{"-all", "usage: autotrace strip ["}},
		{[]string{"report", "-nosuchflag"}, []string{"-nosuchflag", "usage: autotrace report [", "-format"}},
		{[]string{"compare", "-nosuchflag", "a", "--", "b"}, []string{"-nosuchflag", "usage: autotrace compare", "-threshold"}},
		{[]string{"version", "extra"}, []string{`"extra"`, "usage: autotrace version"}},
		{[]string{"frobnicate"}, []string{`unknown command "frobnicate"`, "autotrace help"}},
		{[]string{"help", "frobnicate"}, []string{`unknown command "frobnicate"`}},
		{[]string{"help", "gen", "check"}, []string{"usage: autotrace help [command]"}},
		{nil, []string{"The commands are:", "\tgen "}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Setenv("GOFILE", "") // not under go generate
			code, stdout, stderr := runCLI(tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// TestUsageErrorPrintsHelp (issue 24, item 7): after a bad flag every
// command prints the same text as autotrace help NAME and NAME -h, every
// flag and format in it.
func TestUsageErrorPrintsHelp(t *testing.T) {
	bad := map[string][]string{ // arguments that are a usage error, per command
		"compare": {"-nosuchflag", "a", "--", "b"},
		"version": {"extra"},
		"go":      {"-nosuchflag", "build"},
	}
	for _, c := range commands {
		if c.run == nil {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOFILE", "")
			_, help, _ := runCLI("help", c.name)
			args, ok := bad[c.name]
			if !ok {
				args = []string{"-nosuchflag", "x"}
			}
			code, stdout, stderr := runCLI(append([]string{c.name}, args...)...)
			if code != exitUsage || stdout != "" {
				t.Errorf("%s %v: exit %d, stdout %q; want %d and nothing", c.name, args, code, stdout, exitUsage)
			}
			if !strings.HasSuffix(stderr, help) {
				t.Errorf("%s %v: stderr does not end with the output of help %s:\n%s", c.name, args, c.name, stderr)
			}
		})
	}
}

// TestHelpListsCommands: `autotrace help` lists every command and topic.
func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, _ := runCLI(args...)
		if code != exitOK {
			t.Errorf("%v: exit %d, want 0", args, code)
		}
		for _, c := range commands {
			if !strings.Contains(out, "\t"+c.name+" ") || !strings.Contains(out, c.short) {
				t.Errorf("%v does not list %s:\n%s", args, c.name, out)
			}
		}
	}
}

// TestHelpRules: `autotrace help rules` lists every shipped set with each
// of its rules; `help rules SET` prints the set's text, as shipped.
func TestHelpRules(t *testing.T) {
	code, out, _ := runCLI("help", "rules")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, n := range rewrite.RuleSetNames() {
		if !strings.Contains(out, "\n"+n+": ") {
			t.Errorf("help rules does not list %s:\n%s", n, out)
		}
		rules, _ := rewrite.RuleSet(n)
		for _, r := range rules {
			if !strings.Contains(out, "\t"+r.Key()+"\n") {
				t.Errorf("help rules does not list %s's rule %s", n, r.Key())
			}
		}
		code, text, _ := runCLI("help", "rules", n)
		want, _, _ := rewrite.RuleSetText(n)
		if code != exitOK || text != want {
			t.Errorf("help rules %s: exit %d, text\n%s\nwant\n%s", n, code, text, want)
		}
	}
	if code, _, stderr := runCLI("help", "rules", "nope"); code != exitUsage || !strings.Contains(stderr, `unknown rule set "nope"`) {
		t.Errorf("help rules nope: exit %d, stderr %q", code, stderr)
	}
}
