package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// foldedName keeps a frame name from breaking the folded format.
var foldedName = strings.NewReplacer(";", ":", "\n", " ", "\r", " ")

// writeFolded writes the aggregated flame graph as folded stacks, one line a
// path with self time: "root;child;leaf 1234" (nanoseconds), the input of
// speedscope, inferno and flamegraph.pl. Lines come in path order.
func writeFolded(w io.Writer, d *data) error {
	bw := bufio.NewWriter(w)
	var line []byte
	if d.res.Flame != nil {
		d.res.Flame.Walk(func(path []string, f *hotspotFrame) {
			if f.Self <= 0 {
				return
			}
			line = line[:0]
			for i, name := range path {
				if i > 0 {
					line = append(line, ';')
				}
				line = append(line, foldedName.Replace(name)...)
			}
			line = append(line, ' ')
			line = strconv.AppendInt(line, f.Self, 10)
			line = append(line, '\n')
			bw.Write(line)
		})
	}
	return bw.Flush()
}
