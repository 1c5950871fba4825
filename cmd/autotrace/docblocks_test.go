package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The doctest convention (docs/README.md, "Writing docs"): an HTML comment
// on the line before a fenced block says what TestDocs does with it.
//
//	<!-- doctest: NAME -->             sh block: run each command, in order
//	<!-- doctest: NAME exit=N -->      sh block: ... and the last one exits N
//	<!-- doctest: NAME file=PATH -->   write the block to PATH
//	<!-- doctest: NAME cmp=PATH -->    PATH must be the block, byte for byte
//	<!-- doctest: NAME contains=PATH --> PATH must contain the block
//	<!-- doctest: NAME stdout -->      the last command's stdout, by shape
//	<!-- doctest: NAME stderr -->      the last command's stderr, by shape
//	<!-- doctest: NAME run: LINE -->   (no block) a testscript line, unseen
//	<!-- doctest: skip REASON -->      the block is not run, and why
//
// Blocks with the same NAME on one page make one script, run in order in
// one scratch directory. A sh, bash, shell, console or go block with no
// marker, and a block with no language, is an error: nothing a reader
// might copy escapes the test.

// A docScript is what TestDocs runs for one doctest name of one page.
type docScript struct {
	page, name string
	steps      []docStep
}

// A docStep is one marked block (or run: line) of a docScript.
type docStep struct {
	line int    // the line of the block's first content line, or of a run: marker
	role string // "sh", "file", "cmp", "contains", "stdout", "stderr" or "run"
	arg  string // the path for file, cmp and contains; the exit status for sh; the line for run
	text string // the block's content, each line ending in \n
}

// markedLangs are the block languages that must carry a marker.
var markedLangs = map[string]bool{"sh": true, "bash": true, "shell": true, "console": true, "go": true}

// shellLangs are the languages a block of commands may have.
var shellLangs = map[string]bool{"sh": true, "bash": true, "shell": true}

var (
	markerLine  = regexp.MustCompile(`^\s*<!--\s*doctest:\s*(.*?)\s*-->\s*$`)
	doctestName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
)

// A docMarker is a parsed doctest comment.
type docMarker struct {
	line       int
	skip       bool
	name, role string
	arg        string
}

func parseMarker(line int, text string) (docMarker, error) {
	m := docMarker{line: line}
	if reason, ok := strings.CutPrefix(text, "skip"); ok && (reason == "" || reason[0] == ' ') {
		if strings.TrimSpace(reason) == "" {
			return m, fmt.Errorf("doctest skip needs a reason: <!-- doctest: skip REASON -->")
		}
		m.skip = true
		return m, nil
	}
	name, rest, _ := strings.Cut(text, " ")
	rest = strings.TrimSpace(rest)
	if !doctestName.MatchString(name) {
		return m, fmt.Errorf("doctest name %q: want lower-case letters, digits and dashes", name)
	}
	m.name = name
	switch key, val, _ := strings.Cut(rest, "="); {
	case rest == "":
		m.role = "sh"
	case rest == "stdout" || rest == "stderr":
		m.role = rest
	case strings.HasPrefix(rest, "run:"):
		m.role, m.arg = "run", strings.TrimSpace(strings.TrimPrefix(rest, "run:"))
		if m.arg == "" {
			return m, fmt.Errorf("doctest run: needs a line to run")
		}
	case key == "exit":
		if _, err := strconv.Atoi(val); err != nil {
			return m, fmt.Errorf("doctest exit=%q: want a number", val)
		}
		m.role, m.arg = "sh", val
	case (key == "file" || key == "cmp" || key == "contains") && val != "":
		m.role, m.arg = key, val
	default:
		return m, fmt.Errorf("doctest %s: unknown role %q (want exit=N, file=PATH, cmp=PATH, contains=PATH, stdout, stderr or run: LINE)", name, rest)
	}
	return m, nil
}

// parseDocPage returns the doctest scripts of a markdown page, in the
// order their names first appear, and every violation of the convention
// as "page:line: problem".
func parseDocPage(page, src string) ([]*docScript, []string) {
	var (
		scripts []*docScript
		byName  = map[string]*docScript{}
		errs    []string
		pending *docMarker
	)
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s:%d: %s", page, line, fmt.Sprintf(format, args...)))
	}
	script := func(name string) *docScript {
		s := byName[name]
		if s == nil {
			s = &docScript{page: page, name: name}
			byName[name] = s
			scripts = append(scripts, s)
		}
		return s
	}
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		n, text := i+1, lines[i]
		trimmed := strings.TrimSpace(text)
		if m := markerLine.FindStringSubmatch(text); m != nil {
			if pending != nil {
				fail(pending.line, "doctest marker not followed by a fenced block")
			}
			mk, err := parseMarker(n, m[1])
			switch {
			case err != nil:
				fail(n, "%v", err)
			case mk.role == "run":
				s := script(mk.name)
				s.steps = append(s.steps, docStep{line: n, role: "run", arg: mk.arg})
			default:
				pending = &mk
			}
			continue
		}
		if !strings.HasPrefix(trimmed, "```") {
			if trimmed != "" && pending != nil {
				fail(pending.line, "doctest marker not followed by a fenced block")
				pending = nil
			}
			continue
		}
		// A fenced block: its language, then its content up to the closing
		// fence, dedented by the fence's indentation.
		indent := len(text) - len(strings.TrimLeft(text, " "))
		lang, _, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(trimmed, "```")), " ")
		start := n + 1
		var body strings.Builder
		closed := false
		for i++; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "```" {
				closed = true
				break
			}
			l := lines[i]
			if len(l)-len(strings.TrimLeft(l, " ")) >= indent {
				l = l[indent:]
			}
			body.WriteString(l + "\n")
		}
		mk := pending
		pending = nil
		switch {
		case !closed:
			fail(n, "fenced block never closed")
		case lang == "":
			fail(n, "fenced block with no language: say what it is (```sh, ```go, ```text for output, ...)")
		case mk == nil && markedLangs[lang]:
			fail(n, "```%s block with no doctest marker: put <!-- doctest: NAME --> (or file=, cmp=, contains=, stdout) or <!-- doctest: skip REASON --> on the line before it", lang)
		case mk == nil || mk.skip:
		case mk.role == "sh" && !shellLangs[lang]:
			fail(n, "commands to run must be a ```sh block, not ```%s", lang)
		case strings.Contains(body.String(), "\n-- ") || strings.HasPrefix(body.String(), "-- "):
			fail(n, "a line starting with \"-- \" cannot go into a txtar archive")
		default:
			s := script(mk.name)
			if (mk.role == "stdout" || mk.role == "stderr") && !hasCommand(s.steps) {
				fail(n, "doctest %s: a %s block with no command before it", mk.name, mk.role)
			}
			s.steps = append(s.steps, docStep{line: start, role: mk.role, arg: mk.arg, text: body.String()})
		}
	}
	if pending != nil {
		fail(pending.line, "doctest marker not followed by a fenced block")
	}
	for _, s := range scripts {
		if !hasCommand(s.steps) {
			fail(s.steps[0].line, "doctest %s runs nothing: it has no sh block and no run: line", s.name)
		}
	}
	return scripts, errs
}

func hasCommand(steps []docStep) bool {
	for _, st := range steps {
		if st.role == "sh" || st.role == "run" {
			return true
		}
	}
	return false
}

// txtar writes the script as a testscript archive: the steps as commands,
// the blocks they compare or write as files under $WORK/.doctest.
func (s *docScript) txtar() string {
	var cmds, files strings.Builder
	fmt.Fprintf(&cmds, "# doctest %s of %s: the blocks marked <!-- doctest: %s ... -->\n", s.name, s.page, s.name)
	for i, st := range s.steps {
		loc := fmt.Sprintf("%s:%d", s.page, st.line)
		file := fmt.Sprintf("$WORK/.doctest/%d.txt", i)
		if st.role != "sh" && st.role != "run" {
			fmt.Fprintf(&files, "-- .doctest/%d.txt --\n%s", i, st.text)
		}
		switch st.role {
		case "run":
			fmt.Fprintf(&cmds, "\n# %s (not shown on the page)\n%s\n", loc, st.arg)
		case "sh":
			shellCommands(&cmds, s.page, st)
		case "file":
			fmt.Fprintf(&cmds, "\n# %s: the file %s\n", loc, st.arg)
			if dir := dirOf(st.arg); dir != "" {
				fmt.Fprintf(&cmds, "mkdir %s\n", quoteArg(dir))
			}
			fmt.Fprintf(&cmds, "cp %s %s\n", file, quoteArg(st.arg))
		case "cmp":
			fmt.Fprintf(&cmds, "\n# %s: %s is the block\ncmp %s %s\n", loc, st.arg, quoteArg(st.arg), file)
		case "contains":
			fmt.Fprintf(&cmds, "\n# %s: %s contains the block\ndoc-contains %s %s %s\n", loc, st.arg, quoteArg(st.arg), file, loc)
		case "stdout", "stderr":
			fmt.Fprintf(&cmds, "\n# %s: the %s shown\ndoc-output %s %s %s\n", loc, st.role, st.role, file, loc)
		}
	}
	return cmds.String() + files.String()
}

func dirOf(path string) string {
	if i := strings.LastIndex(path, "/"); i > 0 {
		return path[:i]
	}
	return ""
}

var (
	cdLine      = regexp.MustCompile(`^cd (\S+)$`)
	mkdirCdLine = regexp.MustCompile(`^mkdir (?:-p )?(\S+) && cd (\S+)$`)
	exportLine  = regexp.MustCompile(`^export ([A-Za-z_][A-Za-z0-9_]*=\S*)$`)
)

// shellCommands writes the commands of a sh block as testscript lines:
// each runs in a bash of its own (doc-sh), so a failure names its line;
// cd, mkdir && cd and export become the script's own, which last until
// the script ends. The block's output is what its commands print, together.
func shellCommands(w *strings.Builder, page string, st docStep) {
	type command struct {
		line int
		text string
	}
	var list []command
	lines := strings.Split(strings.TrimSuffix(st.text, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		c := command{line: st.line + i, text: lines[i]}
		for strings.HasSuffix(c.text, `\`) && i+1 < len(lines) {
			i++
			c.text = strings.TrimRight(strings.TrimSuffix(c.text, `\`), " ") + " " + strings.TrimSpace(lines[i])
		}
		if t := strings.TrimSpace(c.text); t != "" && !strings.HasPrefix(t, "#") {
			c.text = t
			list = append(list, c)
		}
	}
	fmt.Fprintf(w, "doc-sh -new\n")
	for i, c := range list {
		loc := fmt.Sprintf("%s:%d", page, c.line)
		fmt.Fprintf(w, "\n# %s: %s\n", loc, c.text)
		if m := cdLine.FindStringSubmatch(c.text); m != nil {
			fmt.Fprintf(w, "cd %s\n", quoteArg(m[1]))
			continue
		}
		if m := mkdirCdLine.FindStringSubmatch(c.text); m != nil && m[1] == m[2] {
			fmt.Fprintf(w, "mkdir %s\ncd %s\n", quoteArg(m[1]), quoteArg(m[1]))
			continue
		}
		if m := exportLine.FindStringSubmatch(c.text); m != nil {
			fmt.Fprintf(w, "env %s\n", quoteArg(m[1]))
			continue
		}
		status := "0"
		if i == len(list)-1 && st.arg != "" {
			status = st.arg // the block shows a command that fails on purpose
		}
		fmt.Fprintf(w, "doc-sh %s %s %s\n", loc, status, quoteArg(c.text))
	}
}

// quoteArg quotes s for a testscript line: no splitting, no expansion.
func quoteArg(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
