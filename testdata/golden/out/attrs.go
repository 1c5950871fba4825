package shop

import (
	"context"
	"errors"
	"fmt"
	"time"

	autotrace "github.com/autotrace/autotrace/runtime"
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
	__span := autotrace.StartHere("shop.place")
	defer __span.End()
	if __span.Recording() {
		__span.SetInt("id", int64(id))
		__span.SetString("tier", string(tier))
		__span.SetInt("n", int64(n))
		__span.SetUint("u", uint64(u))
		__span.SetFloat("f", float64(f))
		__span.SetBool("ok", ok)
		__span.SetTime("when", when)
		__span.SetDuration("wait", wait)
		__span.SetErrorText("err", err)
		if o != nil && o.Customer != nil {
			__span.SetInt("user", int64(o.Customer.ID))
		}
	}
	_, _, _, _, _, _, _, _, _, _ = id, tier, n, u, f, ok, when, wait, err, o
}

// Field paths through pointers (embedded too), len of every kind.
//
//autotrace:span attrs=o.Total,o.Rush,o.Placed,o.Region,o.Customer.Tier,len(o.Items),len(o.Tags),len(name),len(ch),len(arr)
func Inspect(o *Order, name string, ch chan int, arr [4]byte) {
	__span := autotrace.StartHere("shop.Inspect")
	defer __span.End()
	if __span.Recording() {
		if o != nil {
			__span.SetFloat("o.Total", o.Total)
			__span.SetBool("o.Rush", o.Rush)
			__span.SetTime("o.Placed", o.Placed)
		}
		if o != nil && o.Base != nil {
			__span.SetString("o.Region", o.Base.Region)
		}
		if o != nil && o.Customer != nil {
			__span.SetString("o.Customer.Tier", string(o.Customer.Tier))
		}
		if o != nil {
			__span.SetInt("len(o.Items)", int64(len(o.Items)))
			__span.SetInt("len(o.Tags)", int64(len(o.Tags)))
		}
		__span.SetInt("len(name)", int64(len(name)))
		__span.SetInt("len(ch)", int64(len(ch)))
		__span.SetInt("len(arr)", int64(len(arr)))
	}
	_, _, _, _ = o, name, ch, arr
}

// The receiver, a context parameter and str().
//
//autotrace:span attrs=s.shard,s.name,str(sku),len(items)
func (s *Store) Get(ctx context.Context, sku SKU, items []string) (__err error) {
	ctx, __span := autotrace.Start(ctx, "shop.(*Store).Get")
	defer __span.EndErr(&__err)
	if __span.Recording() {
		if s != nil {
			__span.SetInt("s.shard", int64(s.shard))
			__span.SetString("s.name", s.name)
		}
		__span.SetStringer("str(sku)", sku)
		__span.SetInt("len(items)", int64(len(items)))
	}
	_ = ctx
	return errors.New("no")
}

// Named results, recorded at return: whole, len() and str(), on every
// path.
//
//autotrace:span attrs=key,count,total,found,len(rows),str(best),err,when,d,name
func (s Store) Find(key string) (count int, total uint64, found bool, rows []string, best SKU, when time.Time, d time.Duration, name Tier, err error) {
	__span := autotrace.StartHere("shop.Store.Find")
	defer __span.EndErr(&err)
	if __span.Recording() {
		__span.SetString("key", key)
	}
	defer autotrace.RecordInt(__span, "count", &count)
	defer autotrace.RecordUint(__span, "total", &total)
	defer autotrace.RecordBool(__span, "found", &found)
	defer autotrace.RecordLen(__span, "len(rows)", &rows)
	defer autotrace.RecordStringer(__span, "str(best)", &best)
	defer autotrace.RecordError(__span, "err", &err)
	defer autotrace.RecordTime(__span, "when", &when)
	defer autotrace.RecordInt(__span, "d", &d)
	defer autotrace.RecordString(__span, "name", &name)
	defer func() { count++ }()
	return 1, 2, true, nil, 3, time.Time{}, time.Second, "gold", nil
}

// Variadic len, a pointer to a number.
//
//autotrace:span attrs=len(args),limit
func Log(limit *int, args ...any) {
	__span := autotrace.StartHere("shop.Log")
	defer __span.End()
	if __span.Recording() {
		__span.SetInt("len(args)", int64(len(args)))
		if limit != nil {
			__span.SetInt("limit", int64(*limit))
		}
	}
	_, _ = limit, args
}

// A blank context parameter gets a hygienic name; attrs= still works.
//
//autotrace:span attrs=id
func Blank(__ctx_ context.Context, id string) {
	__ctx_, __span := autotrace.Start(__ctx_, "shop.Blank")
	defer __span.End()
	if __span.Recording() {
		__span.SetString("id", id)
	} // autotrace: one-line body
}

// A one-line body.
//
//autotrace:span attrs=n
func Double(n int) int {
	__span := autotrace.StartHere("shop.Double")
	defer __span.End()
	if __span.Recording() {
		__span.SetInt("n", int64(n))
	} // autotrace: one-line body
	return 2 * n
}

// Generics: len of a field of a generic receiver, a type parameter whose
// constraint is all integers, and one as a result.
type List[E any] struct{ items []E }

//autotrace:span attrs=len(l.items)
func (l *List[E]) Push(e E) {
	__span := autotrace.StartHere("shop.(*List[...]).Push")
	defer __span.End()
	if __span.Recording() {
		if l != nil {
			__span.SetInt("len(l.items)", int64(len(l.items)))
		}
	}
	l.items = append(l.items, e)
}

type Integer interface {
	~int | ~int32 | ~int64
}

//autotrace:span attrs=x,sum
func Add[T Integer](x, y T) (sum T) {
	__span := autotrace.StartHere("shop.Add[...]")
	defer __span.End()
	if __span.Recording() {
		__span.SetInt("x", int64(x))
	}
	defer autotrace.RecordInt(__span, "sum", &sum)
	return x + y
}

// A literal's result named like the enclosing function's parameter: the
// literal records its own result.
func Outer(n int) int {
	//autotrace:span attrs=n
	f := func() (n int) {
		__span := autotrace.StartHere("shop.Outer.func1")
		defer __span.End()
		defer autotrace.RecordInt(__span, "n", &n)
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
	__span := autotrace.StartHere("shop.Describe")
	defer __span.End()
	if __span.Recording() {
		if s != nil {
			__span.SetStringer("str(s)", s)
		}
		if e != nil {
			__span.SetErrorText("e", e)
		}
	}
	defer autotrace.RecordErrorPtr(__span, "failure", &failure)
	return e
}

// Type parameters of one kind each.
//
//autotrace:span attrs=f,name,str(id)
func Scale[F ~float32 | ~float64, S ~string, I fmt.Stringer](f F, name S, id I) F {
	__span := autotrace.StartHere("shop.Scale[...]")
	defer __span.End()
	if __span.Recording() {
		__span.SetFloat("f", float64(f))
		__span.SetString("name", string(name))
		__span.SetStringer("str(id)", id)
	}
	return f * 2
}

// A literal run by a go statement: the adoption comes first.
//
//autotrace:span attrs=len(jobs)
func Spawn(jobs []int) {
	__span := autotrace.StartHere("shop.Spawn")
	defer __span.End()
	if __span.Recording() {
		__span.SetInt("len(jobs)", int64(len(jobs)))
	}
	//autotrace:span attrs=n
	go func(n int) {
		defer autotrace.Adopt(__span).Release()
		__span := autotrace.StartHere("shop.Spawn.func1")
		defer __span.End()
		if __span.Recording() {
			__span.SetInt("n", int64(n))
		}
		_ = n
	}(len(jobs))
}
