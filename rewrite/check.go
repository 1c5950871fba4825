package rewrite

import (
	"fmt"
	"strings"
)

// Compare explains, function by function, how old differs from new, the
// output Gen gives for it: what check reports. Positions are in old. It
// returns nil when the two are equal.
func Compare(filename string, old, new []byte) ([]*Error, error) {
	if string(old) == string(new) {
		return nil, nil
	}
	o, err := parse(filename, old)
	if err != nil {
		return nil, err
	}
	n, err := parse(filename, new)
	if err != nil {
		return nil, err
	}
	ofns, nfns := o.instrumentation(), n.instrumentation()
	var out []*Error
	fns := functions(o.file, o.imps, Counters{})
	for i, fn := range fns {
		before, after := ofns[i], nfns[i]
		var msg string
		switch {
		case before == after:
			continue
		case before == "" && !strings.Contains(after, ".Start"):
			// Only GenEndMain, or a wrapped os.Exit or log.Fatal.
			msg = "does not write the last spans when the program exits; run autotrace gen"
		case before == "":
			msg = "not instrumented; run autotrace gen"
		case after == "":
			msg = "instrumented but not selected by any directive; run autotrace gen"
		default:
			msg = "instrumentation is stale; run autotrace gen"
		}
		out = append(out, &Error{o.position(fn.funcType().Pos()), fmt.Sprintf("%s: %s", fn.name, msg)})
	}
	if len(out) == 0 {
		// Only the import (or something outside functions) differs.
		pos := o.file.Name.Pos()
		if len(o.file.Imports) > 0 {
			pos = o.file.Imports[0].Pos()
		}
		out = append(out, &Error{o.position(pos), "the runtime import differs from what autotrace gen writes; run autotrace gen"})
	}
	return out, nil
}

// instrumentation returns, per function in order, a fingerprint of what gen
// wrote in it ("" where nothing): the statements, the signature and the
// go statements it wrapped.
func (s *source) instrumentation() []string {
	_, alias := runtimeImport(s.imps)
	fns := functions(s.file, s.imps, Counters{})
	out := make([]string, len(fns))
	if alias == "" {
		return out
	}
	for i, fn := range fns {
		stmts, start := genTop(fn, alias)
		var b strings.Builder
		for _, st := range stmts {
			b.WriteString(s.text(st) + "\n")
		}
		if start != nil {
			b.WriteString(s.text(fn.funcType()))
		}
		if len(stmts) > 0 {
			if c := s.commentAt(s.off(stmts[len(stmts)-1].End()) + 1); c != nil && c.Text == oneLineTag {
				b.WriteString(" oneline")
			}
		}
		if fn.body() != nil {
			for _, g := range goStatements(fn.body()) {
				if _, ok := wrappedGo(g, alias); ok {
					b.WriteString("\n" + s.text(g))
				}
			}
			for _, c := range wrappedExits(fn.body(), alias, "GenShutdownThen") {
				b.WriteString("\n" + s.text(c))
			}
		}
		out[i] = b.String()
	}
	return out
}
