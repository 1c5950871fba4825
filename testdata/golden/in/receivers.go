package shop

type Cart struct{ items []string }

//autotrace:span
func (c *Cart) Add(item string) {
	c.items = append(c.items, item)
}

//autotrace:span
func (c Cart) Total() int {
	return len(c.items)
}

//autotrace:span
func (Cart) Unnamed() {
}

//autotrace:span
func Variadic(prefix string, xs ...string) []string {
	return append([]string{prefix}, xs...)
}

// Method values call the instrumented method.
func Values(c *Cart) func(string) {
	return c.Add
}
