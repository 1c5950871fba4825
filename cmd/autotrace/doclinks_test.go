package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// linksPendingMerge are pages other branches are writing (the trace
// format, attributes). README.md and docs/ link to them already;
// TestDocLinks fails once one exists, so that it is taken off this list.
var linksPendingMerge = map[string]bool{}

var (
	mdLink    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	mdHeading = regexp.MustCompile(`(?m)^#+ (.*)$`)
)

// TestDocLinks: every relative link in README.md and docs/*.md names a
// file of the repository and, with #fragment, a heading of that page.
func TestDocLinks(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for page := range linksPendingMerge {
		if _, err := os.Stat(filepath.Join(root, page)); err == nil {
			t.Errorf("%s exists now: take it off linksPendingMerge", page)
		}
	}
	for _, page := range docPages(t, root) {
		src, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				file, frag, _ := strings.Cut(target, "#")
				rel := filepath.ToSlash(filepath.Join(filepath.Dir(page), file))
				if file == "" {
					rel = page
				}
				if linksPendingMerge[rel] {
					continue
				}
				body, err := os.ReadFile(filepath.Join(root, rel))
				if err != nil && !isDir(filepath.Join(root, rel)) {
					t.Errorf("%s:%d: link to %s: no such file", page, i+1, target)
					continue
				}
				if frag != "" && !hasAnchor(string(body), frag) {
					t.Errorf("%s:%d: link to %s: %s has no heading #%s", page, i+1, target, rel, frag)
				}
			}
		}
	}
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// hasAnchor reports whether a markdown page has a heading whose GitHub
// anchor is frag: lower case, spaces as dashes, punctuation dropped.
func hasAnchor(page, frag string) bool {
	for _, m := range mdHeading.FindAllStringSubmatch(page, -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				b.WriteRune(r)
			}
		}
		if b.String() == frag {
			return true
		}
	}
	return false
}
