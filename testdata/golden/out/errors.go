package shop

import (
	"errors"
	"os"
	"strconv"

	autotrace "github.com/autotrace/autotrace/runtime"
)

//autotrace:span
func Unnamed(s string) (_ int, __err error) {
	__span := autotrace.StartHere("shop.Unnamed")
	defer __span.EndErr(&__err)
	return strconv.Atoi(s)
}

//autotrace:span
func Single() (__err error) {
	__span := autotrace.StartHere("shop.Single")
	defer __span.EndErr(&__err)
	return errors.New("boom")
}

//autotrace:span
func Named(s string) (n int, err error) {
	__span := autotrace.StartHere("shop.Named")
	defer __span.EndErr(&err)
	n, err = strconv.Atoi(s)
	return
}

//autotrace:span
func BlankErr(s string) (n int, __err_ error) {
	__span := autotrace.StartHere("shop.BlankErr")
	defer __span.EndErr(&__err_)
	return len(s), nil
}

// The body declares its own err, in an inner scope and at the top.
//
//autotrace:span
func Shadow(path string) (__err error) {
	__span := autotrace.StartHere("shop.Shadow")
	defer __span.EndErr(&__err)
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
func Aliased() (__err MyErr) {
	__span := autotrace.StartHere("shop.Aliased")
	defer __span.EndErr(&__err) // autotrace: one-line body
	return nil
}

//autotrace:span
func NotLast() (error, int) {
	__span := autotrace.StartHere("shop.NotLast")
	defer __span.End() // autotrace: one-line body
	return nil, 0
}
