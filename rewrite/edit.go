package rewrite

import (
	"bytes"
	"sort"
)

// edit replaces src[start:end] with text. Insertions have start == end.
type edit struct {
	start, end int
	text       string
}

// applyEdits returns src with every edit applied. Edits must not overlap;
// insertions at the same offset keep the order in which they were added.
func applyEdits(src []byte, edits []edit) []byte {
	if len(edits) == 0 {
		return src
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var out bytes.Buffer
	out.Grow(len(src) + 64*len(edits))
	last := 0
	for _, e := range edits {
		out.Write(src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(src[last:])
	return out.Bytes()
}
