package shop

import (
	"errors"
	"os"
	"strconv"
)

//autotrace:span
func Unnamed(s string) (int, error) {
	return strconv.Atoi(s)
}

//autotrace:span
func Single() error {
	return errors.New("boom")
}

//autotrace:span
func Named(s string) (n int, err error) {
	n, err = strconv.Atoi(s)
	return
}

//autotrace:span
func BlankErr(s string) (n int, _ error) {
	return len(s), nil
}

// The body declares its own err, in an inner scope and at the top.
//
//autotrace:span
func Shadow(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return nil
}

type MyErr = error

//autotrace:span
func Aliased() MyErr { return nil }

//autotrace:span
func NotLast() (error, int) { return nil, 0 }
