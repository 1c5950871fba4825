package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"sort"
	"strings"
)

// directivePrefix starts every autotrace directive. Like //go: directives
// it has no space after the slashes; "// autotrace:" is an ordinary comment.
const directivePrefix = "//autotrace:"

// directive is one parsed //autotrace: comment.
type directive struct {
	pos  token.Pos
	verb string // "span", "all", "skip" or "rules"
	name string // span: the name= override
	// span: the function of another package a rule names (PKG.FUNC), or "".
	ref ruleRef
	// rules: the names of the shipped rule sets it switches on.
	sets []string
	// span: the attrs= items, in order; attrsPos is where attrs= starts.
	attrs     []attrItem
	attrsPos  token.Pos
	propagate string // span rules: propagate=, the request parameter
	// span rules: rename=, the words of the name the span gets at its end
	// (each an attrs= key, or keys separated by "|").
	rename []string
	text   string // skip: the reason
	used   bool   // attached to something it applies to
}

// Error is a problem in the input, reported as file:line:col: message.
type Error struct {
	Pos token.Position
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// ErrorList is every problem found in one file, in source order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// parseDirectives finds every //autotrace: comment in f. Malformed ones are
// returned as errors; they are never ignored, so a typo cannot silently
// disable instrumentation.
func parseDirectives(fset *token.FileSet, f *ast.File) (map[*ast.Comment]*directive, ErrorList) {
	var errs ErrorList
	ds := make(map[*ast.Comment]*directive)
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !strings.HasPrefix(c.Text, directivePrefix) {
				continue
			}
			d, msg := parseDirective(c)
			if msg != "" {
				errs = append(errs, &Error{fset.Position(c.Pos()), msg})
				continue
			}
			ds[c] = d
		}
	}
	return ds, errs
}

func parseDirective(c *ast.Comment) (*directive, string) {
	rest := strings.TrimPrefix(c.Text, directivePrefix)
	verb, args, _ := strings.Cut(rest, " ")
	args = strings.TrimSpace(args)
	d := &directive{pos: c.Pos(), verb: verb}
	switch verb {
	case "span":
		if msg := d.parseSpanArgs(c, args); msg != "" {
			return nil, fmt.Sprintf("malformed directive %s: %s", c.Text, msg)
		}
	case "all":
		if args != "" {
			return nil, fmt.Sprintf("malformed directive %s: //autotrace:all takes no arguments", c.Text)
		}
	case "skip":
		d.text = args
	case "rules":
		sets, msg := parseRuleSets(args)
		if msg != "" {
			return nil, fmt.Sprintf("malformed directive %s: %s", c.Text, msg)
		}
		d.sets = sets
	default:
		return nil, fmt.Sprintf("unknown directive %s (known: //autotrace:span, //autotrace:all, //autotrace:skip, //autotrace:rules)", c.Text)
	}
	return d, ""
}

// Sort orders the list by file, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// parseSpanArgs reads the space-separated name= and attrs= arguments of a
// span directive, each at most once; it returns what is wrong, or "".
func (d *directive) parseSpanArgs(c *ast.Comment, args string) string {
	const want = "want //autotrace:span [PKG.FUNC] [name=NAME] [attrs=A,B,…] [propagate=PARAM] [rename=KEY,KEY|KEY,…]"
	seen := map[string]bool{}
	fields := strings.Fields(args)
	if len(fields) > 0 && !strings.Contains(fields[0], "=") {
		ref, msg := parseRuleRef(fields[0])
		if msg != "" {
			return msg
		}
		d.ref = ref
		fields = fields[1:]
	}
	for _, arg := range fields {
		k, v, ok := strings.Cut(arg, "=")
		if !ok || seen[k] || v == "" {
			return want
		}
		seen[k] = true
		switch k {
		case "name":
			if strings.ContainsAny(v, "\"\\`") {
				return want
			}
			d.name = v
		case "propagate":
			if !token.IsIdentifier(v) {
				return want
			}
			d.propagate = v
		case "rename":
			for w := range strings.SplitSeq(v, ",") {
				for k := range strings.SplitSeq(w, "|") {
					if k == "" || strings.ContainsAny(k, "\"\\`=()") {
						return want
					}
				}
				d.rename = append(d.rename, w)
			}
		case "attrs":
			items, msg := parseAttrs(v)
			if msg != "" {
				return msg
			}
			d.attrs = items
			d.attrsPos = c.Pos() + token.Pos(strings.Index(c.Text, arg))
		default:
			return want
		}
	}
	return renameKeysKnown(d)
}

// renameKeysKnown returns what is wrong with the rename= words of the
// span directive d: each key must be one its attrs= records.
func renameKeysKnown(d *directive) string {
	for _, w := range d.rename {
		for k := range strings.SplitSeq(w, "|") {
			if !slices.ContainsFunc(d.attrs, func(it attrItem) bool { return it.key == k }) {
				return fmt.Sprintf("rename=: %s is not a key of this directive's attrs=", k)
			}
		}
	}
	return ""
}
