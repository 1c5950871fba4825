package hotspot

import (
	"slices"
	"strings"
)

// node is a frame of an aggregated flame tree under construction: all spans
// with the same path of names from a root share one node.
type node struct {
	name   string
	self   int64 // summed self time of the spans at this path
	count  int64
	errors int64
	panics int64
	kids   []*node
	byName map[string]*node // index of kids once there are many
	up     *node            // the node this one hangs under; nil for a tree root
	fwd    *node            // set when this node was merged into another
	size   int64            // for a tree root: the number of nodes in the tree
}

// manyKids is the number of children past which a node indexes them by name.
const manyKids = 8

// resolve follows merge forwarding to the live node.
func (n *node) resolve() *node {
	for n.fwd != nil {
		n = n.fwd
	}
	return n
}

// top returns the root of the tree n is in.
func (n *node) top() *node {
	for n.up != nil {
		n = n.up
	}
	return n
}

// kid returns the child of n with the given name, or nil.
func (n *node) kid(name string) *node {
	if n.byName != nil {
		return n.byName[name]
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// adopt hangs the tree c under n, merging it into an existing child of the
// same name. It returns the number of c's nodes that were merged away.
func (n *node) adopt(c *node) int64 {
	if e := n.kid(c.name); e != nil {
		return e.absorb(c)
	}
	c.up = n
	n.kids = append(n.kids, c)
	if n.byName != nil {
		n.byName[c.name] = c
	} else if len(n.kids) > manyKids {
		n.byName = make(map[string]*node, 2*len(n.kids))
		for _, k := range n.kids {
			n.byName[k.name] = k
		}
	}
	return 0
}

// absorb merges src (same name) into n and returns the number of nodes
// merged away, src included.
func (n *node) absorb(src *node) int64 {
	n.self += src.self
	n.count += src.count
	n.errors += src.errors
	n.panics += src.panics
	src.fwd = n
	merged := int64(1)
	for _, k := range src.kids {
		merged += n.adopt(k)
	}
	src.kids, src.byName = nil, nil
	return merged
}

// labelSep separates a frame's name from its group values (FlameByGroups):
// NUL, which names written by programs do not hold in practice (one that
// did would be split there).
const labelSep = "\x00"

// FrameLabels splits a frame name made with FlameByGroups into the span
// name and its values of the -by attributes, one per attribute ("" where
// the spans have none); values is nil for a frame without any.
func FrameLabels(frame string) (name string, values []string) {
	name, rest, ok := strings.Cut(frame, labelSep)
	if !ok {
		return frame, nil
	}
	return name, strings.Split(rest, labelSep)
}

// Frame is a node of the aggregated flame graph: every span reached by the
// same path of names from a root contributes to one frame.
type Frame struct {
	Name     string
	Self     int64 // nanoseconds: summed self time of the spans at this path
	Total    int64 // nanoseconds: Self plus the Total of every child
	Count    int64 // spans at this path
	Errors   int64
	Panics   int64
	Children []*Frame // sorted by name
}

// export copies the tree under n into frames, merging into dst.
func export(dst *Frame, n *node) {
	f := dst.child(n.name)
	f.Self += n.self
	f.Count += n.count
	f.Errors += n.errors
	f.Panics += n.panics
	for _, k := range n.kids {
		export(f, k)
	}
}

// child returns the child frame of f with the given name, adding it if need be.
func (f *Frame) child(name string) *Frame {
	i, ok := slices.BinarySearchFunc(f.Children, name, func(c *Frame, name string) int {
		return strings.Compare(c.Name, name)
	})
	if ok {
		return f.Children[i]
	}
	c := &Frame{Name: name}
	f.Children = slices.Insert(f.Children, i, c)
	return c
}

// sumTotals sets Total on f and every frame under it and returns f.Total.
func (f *Frame) sumTotals() int64 {
	f.Total = f.Self
	for _, c := range f.Children {
		f.Total += c.sumTotals()
	}
	return f.Total
}

// Walk calls fn for every frame under f, depth first, children in name
// order, with the path of names from the root (f itself excluded) to the
// frame. The path slice is reused between calls.
func (f *Frame) Walk(fn func(path []string, fr *Frame)) {
	var path []string
	var walk func(fr *Frame)
	walk = func(fr *Frame) {
		path = append(path, fr.Name)
		fn(path, fr)
		for _, c := range fr.Children {
			walk(c)
		}
		path = path[:len(path)-1]
	}
	for _, c := range f.Children {
		walk(c)
	}
}
