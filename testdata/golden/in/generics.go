package shop

// Number is a constraint.
type Number interface {
	~int | ~int64 | ~float64
}

//autotrace:span
func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

type List[E any] struct{ items []E }

//autotrace:span
func (l *List[E]) Push(e E) {
	l.items = append(l.items, e)
}

//autotrace:span
func (l List[E]) Len() int { return len(l.items) }

type Pair[K comparable, V any] struct {
	k K
	v V
}

//autotrace:span
func (p *Pair[K, V]) Key() K {
	return p.k
}
