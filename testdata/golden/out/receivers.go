package shop

import autotrace "github.com/autotrace/autotrace/runtime"

type Cart struct{ items []string }

//autotrace:span
func (c *Cart) Add(item string) {
	__span := autotrace.StartHere("shop.(*Cart).Add")
	defer __span.End()
	c.items = append(c.items, item)
}

//autotrace:span
func (c Cart) Total() int {
	__span := autotrace.StartHere("shop.Cart.Total")
	defer __span.End()
	return len(c.items)
}

//autotrace:span
func (Cart) Unnamed() {
	__span := autotrace.StartHere("shop.Cart.Unnamed")
	defer __span.End()
}

//autotrace:span
func Variadic(prefix string, xs ...string) []string {
	__span := autotrace.StartHere("shop.Variadic")
	defer __span.End()
	return append([]string{prefix}, xs...)
}

// Method values call the instrumented method.
func Values(c *Cart) func(string) {
	return c.Add
}
