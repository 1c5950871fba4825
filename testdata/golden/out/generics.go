package shop

import autotrace "github.com/autotrace/autotrace/runtime"

// Number is a constraint.
type Number interface {
	~int | ~int64 | ~float64
}

//autotrace:span
func Sum[T Number](xs ...T) T {
	__span := autotrace.StartHere("shop.Sum[...]")
	defer __span.End()
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

type List[E any] struct{ items []E }

//autotrace:span
func (l *List[E]) Push(e E) {
	__span := autotrace.StartHere("shop.(*List[...]).Push")
	defer __span.End()
	l.items = append(l.items, e)
}

//autotrace:span
func (l List[E]) Len() int {
	__span := autotrace.StartHere("shop.List[...].Len")
	defer __span.End() // autotrace: one-line body
	return len(l.items)
}

type Pair[K comparable, V any] struct {
	k K
	v V
}

//autotrace:span
func (p *Pair[K, V]) Key() K {
	__span := autotrace.StartHere("shop.(*Pair[...]).Key")
	defer __span.End()
	return p.k
}
