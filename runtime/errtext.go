package autotrace

import "fmt"

// errorText is err.Error(), or what fmt prints when Error panics, as it
// does for a typed nil pointer whose method reads through the receiver
// (fmt prints "<nil>"): tracing must never turn a returned error into a
// panic. Found by scripts/corpus on github.com/pkg/errors' TestCause.
func errorText(err error) (text string) {
	defer func() {
		if recover() != nil {
			text = fmt.Sprint(err)
		}
	}()
	return err.Error()
}
