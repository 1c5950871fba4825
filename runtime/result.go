package autotrace

import (
	"fmt"
	"time"
)

// The Record functions add a named result of a function as an attribute
// when the function returns: generated code defers them right after the
// span's End, so they run after the function's own deferred calls and
// before End, on the error and panic paths too. They take a pointer, read
// only when the span records, and are generic so that no value is boxed:
// with recording off a deferred call costs a nil check.
//
//	func Count(…) (n int, err error) {
//		__span := autotrace.StartHere("shop.Count")
//		defer __span.EndErr(&err)
//		defer autotrace.RecordInt(__span, "n", &n)

// RecordInt adds *p as an integer attribute.
func RecordInt[T ~int | ~int8 | ~int16 | ~int32 | ~int64](s Span, key string, p *T) {
	if s.recording() != nil {
		s.set(key, IntValue(int64(*p)))
	}
}

// RecordUint adds *p as an unsigned integer attribute.
func RecordUint[T ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr](s Span, key string, p *T) {
	if s.recording() != nil {
		s.set(key, UintValue(uint64(*p)))
	}
}

// RecordFloat adds *p as a floating-point attribute.
func RecordFloat[T ~float32 | ~float64](s Span, key string, p *T) {
	if s.recording() != nil {
		s.set(key, FloatValue(float64(*p)))
	}
}

// RecordBool adds *p as a boolean attribute.
func RecordBool[T ~bool](s Span, key string, p *T) {
	if s.recording() != nil {
		s.set(key, BoolValue(bool(*p)))
	}
}

// RecordString adds *p as a string attribute.
func RecordString[T ~string](s Span, key string, p *T) {
	if s.recording() != nil {
		s.set(key, StringValue(bounded(string(*p))))
	}
}

// RecordTime adds *p as a time attribute.
func RecordTime(s Span, key string, p *time.Time) {
	if s.recording() != nil {
		s.set(key, TimeValue(*p))
	}
}

// RecordError adds the message of *p, when not nil, as a string attribute.
func RecordError[E error](s Span, key string, p *E) {
	if s.recording() != nil {
		s.SetErrorText(key, *p)
	}
}

// RecordErrorPtr is RecordError for an error type that is a pointer: a nil
// one adds nothing (boxed in an error it would not be nil).
func RecordErrorPtr[T any, P interface {
	*T
	error
}](s Span, key string, p *P) {
	if s.recording() != nil && *p != nil {
		s.SetErrorText(key, *p)
	}
}

// RecordStringer adds (*p).String() as a string attribute, "<panic: …>"
// when String panics.
func RecordStringer[T fmt.Stringer](s Span, key string, p *T) {
	if s.recording() != nil {
		s.SetStringer(key, *p)
	}
}

// RecordLen adds the length of the slice *p as an integer attribute.
func RecordLen[S ~[]E, E any](s Span, key string, p *S) {
	if s.recording() != nil {
		s.set(key, IntValue(int64(len(*p))))
	}
}

// RecordLenString adds the length of the string *p as an integer attribute.
func RecordLenString[T ~string](s Span, key string, p *T) {
	if s.recording() != nil {
		s.set(key, IntValue(int64(len(*p))))
	}
}

// RecordLenMap adds the length of the map *p as an integer attribute.
func RecordLenMap[M ~map[K]V, K comparable, V any](s Span, key string, p *M) {
	if s.recording() != nil {
		s.set(key, IntValue(int64(len(*p))))
	}
}
