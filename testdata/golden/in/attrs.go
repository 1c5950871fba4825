package shop

import (
	"context"
	"errors"
	"fmt"
	"time"
)

type UserID int64

type Tier string

type Customer struct {
	ID   UserID
	Tier Tier
}

type Base struct{ Region string }

type Order struct {
	*Base
	Customer *Customer
	Items    []string
	Total    float64
	Rush     bool
	Placed   time.Time
	Tags     map[string]bool
}

type SKU uint32

func (s SKU) String() string { return fmt.Sprintf("sku-%d", uint32(s)) }

type Store struct {
	shard int
	name  string
}

// Every basic kind, renamed keys and name= together.
//
//autotrace:span name=shop.place attrs=id,tier,n,u,f,ok,when,wait,err,user=o.Customer.ID
func Place(id UserID, tier Tier, n int8, u uint, f float32, ok bool, when time.Time, wait time.Duration, err error, o *Order) {
	_, _, _, _, _, _, _, _, _, _ = id, tier, n, u, f, ok, when, wait, err, o
}

// Field paths through pointers (embedded too), len of every kind.
//
//autotrace:span attrs=o.Total,o.Rush,o.Placed,o.Region,o.Customer.Tier,len(o.Items),len(o.Tags),len(name),len(ch),len(arr)
func Inspect(o *Order, name string, ch chan int, arr [4]byte) {
	_, _, _, _ = o, name, ch, arr
}

// The receiver, a context parameter and str().
//
//autotrace:span attrs=s.shard,s.name,str(sku),len(items)
func (s *Store) Get(ctx context.Context, sku SKU, items []string) error {
	_ = ctx
	return errors.New("no")
}

// Named results, recorded at return: whole, len() and str(), on every
// path.
//
//autotrace:span attrs=key,count,total,found,len(rows),str(best),err,when,d,name
func (s Store) Find(key string) (count int, total uint64, found bool, rows []string, best SKU, when time.Time, d time.Duration, name Tier, err error) {
	defer func() { count++ }()
	return 1, 2, true, nil, 3, time.Time{}, time.Second, "gold", nil
}

// Variadic len, a pointer to a number.
//
//autotrace:span attrs=len(args),limit
func Log(limit *int, args ...any) {
	_, _ = limit, args
}

// A blank context parameter gets a hygienic name; attrs= still works.
//
//autotrace:span attrs=id
func Blank(_ context.Context, id string) {}

// A one-line body.
//
//autotrace:span attrs=n
func Double(n int) int { return 2 * n }

// Generics: len of a field of a generic receiver, a type parameter whose
// constraint is all integers, and one as a result.
type List[E any] struct{ items []E }

//autotrace:span attrs=len(l.items)
func (l *List[E]) Push(e E) {
	l.items = append(l.items, e)
}

type Integer interface {
	~int | ~int32 | ~int64
}

//autotrace:span attrs=x,sum
func Add[T Integer](x, y T) (sum T) {
	return x + y
}

// A literal's result named like the enclosing function's parameter: the
// literal records its own result.
func Outer(n int) int {
	//autotrace:span attrs=n
	f := func() (n int) {
		return 7
	}
	return f() + n
}

// MyErr is an error type of the package.
type MyErr struct{ Code int }

func (e *MyErr) Error() string { return fmt.Sprint("code ", e.Code) }

// An interface Stringer (nil-checked), a concrete error type (nil-checked),
// and a concrete error result.
//
//autotrace:span attrs=str(s),e,failure
func Describe(s fmt.Stringer, e *MyErr) (failure *MyErr) {
	return e
}

// Type parameters of one kind each.
//
//autotrace:span attrs=f,name,str(id)
func Scale[F ~float32 | ~float64, S ~string, I fmt.Stringer](f F, name S, id I) F {
	return f * 2
}

// A literal run by a go statement: the adoption comes first.
//
//autotrace:span attrs=len(jobs)
func Spawn(jobs []int) {
	//autotrace:span attrs=n
	go func(n int) {
		_ = n
	}(len(jobs))
}
