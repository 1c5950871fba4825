package autotrace

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// An AttrKind is the type of an attribute value.
type AttrKind uint8

// The kinds of attribute values, numbered as the binary trace format
// numbers them (docs/trace-format.md); a time, which has no kind there, is
// written as its RFC 3339 string. The zero AttrValue is an empty string.
const (
	KindString AttrKind = 1 + iota
	KindInt
	KindFloat
	KindBool
	KindUint
	KindTime
)

// An AttrValue is a typed attribute value. Numbers, bools and times are
// held in one 64-bit word, so setting them allocates nothing.
type AttrValue struct {
	str  string // KindString
	bits uint64 // KindInt, KindUint, KindFloat (IEEE bits), KindBool (0 or 1), KindTime (Unix ns)
	kind AttrKind
}

// StringValue, IntValue, UintValue, FloatValue, BoolValue and TimeValue make
// attribute values.
func StringValue(v string) AttrValue { return AttrValue{str: v, kind: KindString} }
func IntValue(v int64) AttrValue     { return AttrValue{bits: uint64(v), kind: KindInt} }
func UintValue(v uint64) AttrValue   { return AttrValue{bits: v, kind: KindUint} }
func FloatValue(v float64) AttrValue { return AttrValue{bits: math.Float64bits(v), kind: KindFloat} }
func BoolValue(v bool) AttrValue {
	if v {
		return AttrValue{bits: 1, kind: KindBool}
	}
	return AttrValue{kind: KindBool}
}

// TimeValue holds t to the nanosecond; a time outside the years 1678 to
// 2262, which Unix nanoseconds cannot hold (the zero time is one), is held
// as its RFC 3339 string instead.
func TimeValue(t time.Time) AttrValue {
	if y := t.Year(); y < 1678 || y > 2261 {
		return StringValue(t.UTC().Format(time.RFC3339Nano))
	}
	return AttrValue{bits: uint64(t.UnixNano()), kind: KindTime}
}

// Kind returns the type of the value.
func (v AttrValue) Kind() AttrKind { return v.kind }

// Int returns a KindInt value (the bits of any other number kind).
func (v AttrValue) Int() int64 { return int64(v.bits) }

// Uint returns a KindUint value.
func (v AttrValue) Uint() uint64 { return v.bits }

// Float returns a KindFloat value.
func (v AttrValue) Float() float64 { return math.Float64frombits(v.bits) }

// Bool returns a KindBool value.
func (v AttrValue) Bool() bool { return v.bits != 0 }

// Time returns a KindTime value, in UTC.
func (v AttrValue) Time() time.Time { return time.Unix(0, int64(v.bits)).UTC() }

// String returns the value printed: a string as is, a number in decimal
// (floats as strconv's 'g'), a time in RFC 3339.
func (v AttrValue) String() string { return string(v.appendText(nil)) }

// appendText appends the value as String prints it.
func (v AttrValue) appendText(b []byte) []byte {
	switch v.kind {
	case KindInt:
		return strconv.AppendInt(b, v.Int(), 10)
	case KindUint:
		return strconv.AppendUint(b, v.bits, 10)
	case KindFloat:
		return strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
	case KindBool:
		return strconv.AppendBool(b, v.Bool())
	case KindTime:
		return v.Time().AppendFormat(b, time.RFC3339Nano)
	}
	return append(b, v.str...)
}

// appendJSON appends the value as JSON: numbers and bools as such (a
// float that JSON cannot hold, NaN or an infinity, as a string), strings
// and times as strings.
func (v AttrValue) appendJSON(b []byte) []byte {
	switch v.kind {
	case KindInt, KindUint, KindBool:
		return v.appendText(b)
	case KindFloat:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return appendString(b, v.String())
		}
		return strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
	case KindTime:
		b = append(b, '"')
		return append(v.appendText(b), '"')
	}
	return appendString(b, v.str)
}

// An Attr is a span attribute: a key and a typed value.
type Attr struct {
	Key   string
	Value AttrValue
}

// extraAttrs is a spanExtra allocated together with room for the first
// few attributes, so that a span's attributes usually cost one allocation.
type extraAttrs struct {
	spanExtra
	buf [4]Attr
}

// set adds an attribute to a recording span, up to maxAttrs.
func (s Span) set(key string, v AttrValue) {
	e := extOf(s.r.idx())
	if e == nil {
		x := new(extraAttrs)
		x.attrs = x.buf[:0]
		e = &x.spanExtra
		setExt(s.r.idx(), e)
	} else if e.attrs == nil {
		e.attrs = make([]Attr, 0, 4)
	}
	if len(e.attrs) >= maxAttrs {
		return
	}
	e.attrs = append(e.attrs, Attr{key, v})
}

// Recording reports whether the span records what is set on it: false for
// the zero Span (recording off, or a trace not sampled), after End, and on
// another goroutine than the span's own. Code
// that computes an attribute only for a recording span costs nothing when
// recording is off (generated code does so).
func (s Span) Recording() bool { return s.recording() != nil }

// SetString adds a string attribute, cut at 512 bytes. A span keeps at
// most 32 attributes; the setters do nothing on a span that does not
// record.
func (s Span) SetString(key, value string) {
	if s.recording() != nil {
		s.set(key, StringValue(bounded(value)))
	}
}

// SetInt adds an integer attribute.
func (s Span) SetInt(key string, value int64) {
	if s.recording() != nil {
		s.set(key, IntValue(value))
	}
}

// SetUint adds an unsigned integer attribute.
func (s Span) SetUint(key string, value uint64) {
	if s.recording() != nil {
		s.set(key, UintValue(value))
	}
}

// SetFloat adds a floating-point attribute.
func (s Span) SetFloat(key string, value float64) {
	if s.recording() != nil {
		s.set(key, FloatValue(value))
	}
}

// SetBool adds a boolean attribute.
func (s Span) SetBool(key string, value bool) {
	if s.recording() != nil {
		s.set(key, BoolValue(value))
	}
}

// SetDuration adds a duration attribute, as an integer of nanoseconds.
func (s Span) SetDuration(key string, value time.Duration) {
	if s.recording() != nil {
		s.set(key, IntValue(int64(value)))
	}
}

// SetTime adds a time attribute, written as an RFC 3339 string.
func (s Span) SetTime(key string, value time.Time) {
	if s.recording() != nil {
		s.set(key, TimeValue(value))
	}
}

// SetErrorText adds err's message as a string attribute; a nil err adds
// nothing. Unlike SetError it does not mark the span failed.
func (s Span) SetErrorText(key string, err error) {
	if err != nil && s.recording() != nil {
		s.set(key, StringValue(bounded(errorText(err))))
	}
}

// SetStringer adds v.String() as a string attribute. A String method that
// panics records "<panic: VALUE>" instead, and the program goes on.
func (s Span) SetStringer(key string, v fmt.Stringer) {
	if s.recording() != nil {
		s.set(key, StringValue(bounded(safeString(v))))
	}
}

// safeString is v.String(), or "<panic: …>" when it panics.
func safeString(v fmt.Stringer) (text string) {
	defer func() {
		if r := recover(); r != nil {
			text = "<panic: " + fmt.Sprint(r) + ">"
		}
	}()
	return v.String()
}
