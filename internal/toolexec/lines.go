package toolexec

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
	"strings"
)

// withLineDirectives returns out, a rewrite of orig, with //line directives
// that give every line of out the position of the line of orig it comes
// from: lines gen inserted take the number of the original line before
// them, lines it changed keep their own. The first line gets a directive
// naming path, so positions never mention the rewritten file.
func withLineDirectives(path string, orig, out []byte) []byte {
	oldLines, newLines := splitLines(orig), splitLines(out)
	m := lineMap(oldLines, newLines)
	inside := multilineTokens(out, len(newLines))
	var b bytes.Buffer
	b.Grow(len(out) + 64*8)
	prev := -2
	for i, line := range newLines {
		if i == 0 || (m[i] != prev+1 && !inside[i]) {
			fmt.Fprintf(&b, "//line %s:%d:1\n", path, m[i]+1)
		}
		b.WriteString(line)
		prev = m[i]
	}
	if len(newLines) == 0 {
		fmt.Fprintf(&b, "//line %s:1:1\n", path)
	}
	return b.Bytes()
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s []byte) []string {
	var lines []string
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, string(s))
			break
		}
		lines = append(lines, string(s[:i+1]))
		s = s[i+1:]
	}
	return lines
}

// multilineTokens marks the lines of src that begin inside a raw string
// or a general comment, where a directive would change the program.
func multilineTokens(src []byte, n int) []bool {
	inside := make([]bool, n+1)
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, src, nil, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if (tok == token.STRING || tok == token.COMMENT) && strings.Contains(lit, "\n") {
			first := f.Line(pos)
			for l := first + 1; l <= first+strings.Count(lit, "\n") && l-1 < n; l++ {
				inside[l-1] = true
			}
		}
	}
	return inside
}

// lineMap returns, for each line of y, the index of the line of x it
// stands for. Lines are matched with an anchored diff: equal prefixes and
// suffixes, then lines unique to both sides in increasing order, recursively.
// In a changed region, y's lines stand for x's lines in order; extra lines
// of y stand for the last line of x before or in the region.
func lineMap(x, y []string) []int {
	m := make([]int, len(y))
	var match, changed func(x0, x1, y0, y1 int)
	match = func(x0, x1, y0, y1 int) {
		for x0 < x1 && y0 < y1 && x[x0] == y[y0] {
			m[y0] = x0
			x0++
			y0++
		}
		for x0 < x1 && y0 < y1 && x[x1-1] == y[y1-1] {
			x1--
			y1--
			m[y1] = x1
		}
		if y0 == y1 {
			return
		}
		if x0 < x1 {
			if anchors := uniqueAnchors(x[x0:x1], y[y0:y1]); len(anchors) > 0 {
				px, py := x0, y0
				for _, a := range anchors {
					ax, ay := x0+a[0], y0+a[1]
					match(px, ax, py, ay)
					m[ay] = ax
					px, py = ax+1, ay+1
				}
				match(px, x1, py, y1)
				return
			}
			if (x1-x0)*(y1-y0) <= maxLCS {
				pairs := lcs(x[x0:x1], y[y0:y1])
				px, py := x0, y0
				for _, p := range pairs {
					ax, ay := x0+p[0], y0+p[1]
					changed(px, ax, py, ay)
					m[ay] = ax
					px, py = ax+1, ay+1
				}
				changed(px, x1, py, y1)
				return
			}
		}
		changed(x0, x1, y0, y1)
	}
	// changed maps a region where no line is the same on both sides: a
	// line of y that resembles the next lines of x stands for it (a line gen
	// edited), others were inserted and stand for the last line before.
	changed = func(x0, x1, y0, y1 int) {
		xi, last := x0, max(x0-1, 0)
		for k := y0; k < y1; k++ {
			for j := xi; j < x1 && j < xi+4; j++ {
				if similar(x[j], y[k]) {
					xi, last = j+1, j
					break
				}
			}
			m[k] = last
		}
	}
	match(0, len(x), 0, len(y))
	return m
}

// uniqueAnchors returns the pairs of indexes of lines that occur exactly
// once in x and once in y, longest increasing in both.
func uniqueAnchors(x, y []string) [][2]int {
	type count struct{ nx, ny, ix, iy int }
	counts := map[string]*count{}
	for i, s := range x {
		c := counts[s]
		if c == nil {
			c = &count{}
			counts[s] = c
		}
		c.nx++
		c.ix = i
	}
	var pairs [][2]int // in y order
	for i, s := range y {
		if c := counts[s]; c != nil {
			c.ny++
			c.iy = i
		}
	}
	for i, s := range y {
		if c := counts[s]; c != nil && c.nx == 1 && c.ny == 1 {
			pairs = append(pairs, [2]int{c.ix, i})
		}
	}
	// Longest increasing subsequence of x indexes (patience sorting).
	var tails []int // indexes into pairs
	prev := make([]int, len(pairs))
	for i, p := range pairs {
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if pairs[tails[mid]][0] < p[0] {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		prev[i] = -1
		if lo > 0 {
			prev[i] = tails[lo-1]
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	if len(tails) == 0 {
		return nil
	}
	out := make([][2]int, len(tails))
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i, k = i-1, prev[k] {
		out[i] = pairs[k]
	}
	return out
}

// maxLCS bounds the regions lineMap aligns by longest common subsequence.
const maxLCS = 1 << 20

// lcs returns the index pairs of a longest common subsequence of x and y.
func lcs(x, y []string) [][2]int {
	n, m := len(x), len(y)
	// t[i][j] is the LCS length of x[i:] and y[j:].
	t := make([]int32, (n+1)*(m+1))
	at := func(i, j int) *int32 { return &t[i*(m+1)+j] }
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case x[i] == y[j]:
				*at(i, j) = *at(i+1, j+1) + 1
			case *at(i+1, j) >= *at(i, j+1):
				*at(i, j) = *at(i+1, j)
			default:
				*at(i, j) = *at(i, j+1)
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case x[i] == y[j]:
			out = append(out, [2]int{i, j})
			i++
			j++
		case *at(i+1, j) >= *at(i, j+1):
			i++
		default:
			j++
		}
	}
	return out
}

// similar reports whether b looks like gen's edit of a: a with text
// inserted (a named parameter or result), the start of a one-line body
// gen spread over lines (perhaps also with text inserted), or most of a's
// text at its start and end.
func similar(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" || b == "" {
		return a == b
	}
	if k := subsequencePrefix(a, b); k == len(a) && k >= 8 || k >= max(8, len(a)/2) || len(b) >= 4 && strings.HasPrefix(a, b) {
		return true
	}
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	q := 0
	for q < n-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	return p+q >= max(2, n/2)
}

// subsequencePrefix returns how much of a, from its start, occurs in b in
// order.
func subsequencePrefix(a, b string) int {
	i := 0
	for j := 0; i < len(a) && j < len(b); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i
}
