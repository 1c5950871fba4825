package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// snapshot is the contents of every .go file of a tree, by relative path.
type snapshot map[string]string

func takeSnapshot(dir string) (snapshot, error) {
	s := snapshot{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		s[rel] = string(data)
		return nil
	})
	return s, err
}

// diff lists the files whose contents differ between a and b (or exist in
// only one of them).
func (a snapshot) diff(b snapshot) []string {
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

var deferEnd = regexp.MustCompile(`defer __span[0-9]*\.End(Err|Main)?\(`)

// functions counts the instrumented functions in the files of s that
// differ from orig, and returns how many files that is.
func (s snapshot) instrumented(orig snapshot) (files, funcs int) {
	for k, v := range s {
		if orig[k] == v {
			continue
		}
		files++
		funcs += len(deferEnd.FindAllStringIndex(v, -1))
	}
	return files, funcs
}
