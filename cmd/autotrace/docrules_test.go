package main

import (
	"strings"
	"testing"
)

// TestDocRules: pages that break the doctest convention are refused with
// the page and line, so no command a reader might copy escapes TestDocs.
func TestDocRules(t *testing.T) {
	tests := []struct {
		name, page, want string
	}{
		{"unmarked sh", "text\n```sh\nls\n```\n", "p.md:2: ```sh block with no doctest marker"},
		{"unmarked go", "```go\npackage x\n```\n", "p.md:1: ```go block with no doctest marker"},
		{"unmarked console", "```console\n$ ls\n```\n", "p.md:1: ```console block with no doctest marker"},
		{"no language", "```\nls\n```\n", "p.md:1: fenced block with no language"},
		{"skip without reason", "<!-- doctest: skip -->\n```sh\nls\n```\n", "p.md:1: doctest skip needs a reason"},
		{"unknown role", "<!-- doctest: a frob -->\n```sh\nls\n```\n", `p.md:1: doctest a: unknown role "frob"`},
		{"bad name", "<!-- doctest: A_B -->\n```sh\nls\n```\n", `p.md:1: doctest name "A_B"`},
		{"marker before prose", "<!-- doctest: a -->\nsome text\n```sh\nls\n```\n", "p.md:1: doctest marker not followed by a fenced block"},
		{"marker at end", "<!-- doctest: a -->\n", "p.md:1: doctest marker not followed by a fenced block"},
		{"commands in a go block", "<!-- doctest: a -->\n```go\npackage x\n```\n", "p.md:2: commands to run must be a ```sh block"},
		{"stdout first", "<!-- doctest: a stdout -->\n```text\nx\n```\n<!-- doctest: a -->\n```sh\nls\n```\n", "p.md:2: doctest a: a stdout block with no command before it"},
		{"stderr first", "<!-- doctest: a stderr -->\n```text\nx\n```\n<!-- doctest: a -->\n```sh\nls\n```\n", "p.md:2: doctest a: a stderr block with no command before it"},
		{"runs nothing", "<!-- doctest: a file=x.go -->\n```go\npackage x\n```\n", "p.md:3: doctest a runs nothing"},
		{"unclosed", "<!-- doctest: a -->\n```sh\nls\n", "p.md:2: fenced block never closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := parseDocPage("p.md", tt.page)
			if !strings.Contains(strings.Join(errs, "\n"), tt.want) {
				t.Errorf("problems %q, want one containing %q", errs, tt.want)
			}
		})
	}
}

// TestDocRulesAccept: marked and skipped blocks, and blocks of other
// languages, pass; the steps keep their order, roles and lines.
func TestDocRulesAccept(t *testing.T) {
	page := "# title\n" +
		"<!-- doctest: skip needs the network -->\n```sh\ngo get x\n```\n" +
		"<!-- doctest: a run: use-autotrace -->\n" +
		"<!-- doctest: a file=sub/main.go -->\n\n```go\npackage main\n```\n" +
		"  <!-- doctest: a -->\n  ```sh\n  go build \\\n    ./...   # build\n  autotrace check\n  ```\n" +
		"<!-- doctest: a stdout -->\n```text\nok\n```\n" +
		"```json\n{}\n```\n"
	scripts, errs := parseDocPage("p.md", page)
	if len(errs) > 0 {
		t.Fatalf("problems: %q", errs)
	}
	if len(scripts) != 1 {
		t.Fatalf("%d scripts, want 1", len(scripts))
	}
	var got []string
	for _, st := range scripts[0].steps {
		got = append(got, st.role+":"+st.arg)
	}
	if want := "run:use-autotrace file:sub/main.go sh: stdout:"; strings.Join(got, " ") != want {
		t.Errorf("steps %q, want %q", strings.Join(got, " "), want)
	}
	ar := scripts[0].txtar()
	for _, want := range []string{
		"\nuse-autotrace\n",
		"\nmkdir 'sub'\n",
		"cp $WORK/.doctest/1.txt 'sub/main.go'\n",
		"# p.md:14: go build ./...   # build\ndoc-sh p.md:14 0 'go build ./...   # build'\n",
		"# p.md:16: autotrace check\n",
		"doc-output stdout $WORK/.doctest/3.txt p.md:20\n",
		"-- .doctest/1.txt --\npackage main\n",
	} {
		if !strings.Contains(ar, want) {
			t.Errorf("script lacks %q:\n%s", want, ar)
		}
	}
}

// TestOutputShape: what changes between runs is masked, what a reader
// relies on (names, columns, small counts, line order) is not.
func TestOutputShape(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"main.work      5  11.5ms  100.0%  2.30ms", "main.work 5 9ms 99.1% 12µs", true},
		{" 1. 07dc971e3e90f9647d6c79045f40a072  4.25ms", " 1. 2956c06717e2403c080f5fe5c2d63d63  1m2.5s", true},
		{"main.work 40ns 40ns 5621", "main.work 3ns 3ns 123", true},
		{"main.work 5", "main.work 4", false},
		{"main.work 5", "main.other 5", false},
		{"NAME COUNT ERRORS", "NAME COUNT PANICS", false},
		{"a\nb", "b\na", false},
		{"5 spans (5 roots)", "0 spans (0 roots)", false},
	}
	for _, tt := range tests {
		if same := outputShape(tt.a) == outputShape(tt.b); same != tt.same {
			t.Errorf("shape(%q) == shape(%q): %v, want %v (%q, %q)", tt.a, tt.b, same, tt.same, outputShape(tt.a), outputShape(tt.b))
		}
	}
}
