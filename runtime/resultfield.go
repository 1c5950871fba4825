package autotrace

import (
	"reflect"
	"sync"
)

// RecordField adds the field named field of the struct *p points to, a
// named result, as an attribute when the function returns (rules'
// end(resp.StatusCode)): nothing when *p is nil. The field is found by
// name through reflect once per result type and field, then read at its
// index; gen has checked that it exists and has a type the runtime
// records (a bool, number or string). P is a pointer to a struct.
func RecordField[P any](s Span, key string, p *P, field string) {
	if s.recording() == nil {
		return
	}
	v := reflect.ValueOf(p).Elem()
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	v = v.Elem()
	idx, ok := fieldIndex(v.Type(), field)
	if !ok {
		return
	}
	f := v.FieldByIndex(idx)
	switch f.Kind() {
	case reflect.Bool:
		s.set(key, BoolValue(f.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s.set(key, IntValue(f.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		s.set(key, UintValue(f.Uint()))
	case reflect.Float32, reflect.Float64:
		s.set(key, FloatValue(f.Float()))
	case reflect.String:
		s.set(key, StringValue(bounded(f.String())))
	}
}

// fieldIndexes caches fieldIndex: a program has a handful of rules with
// end(result.Field), so the map stays small.
var fieldIndexes sync.Map // fieldKey -> []int, or nil when there is none

type fieldKey struct {
	t    reflect.Type
	name string
}

// fieldIndex is the index of the field name of the struct type t.
func fieldIndex(t reflect.Type, name string) ([]int, bool) {
	k := fieldKey{t, name}
	if v, ok := fieldIndexes.Load(k); ok {
		idx := v.([]int)
		return idx, idx != nil
	}
	var idx []int
	if t.Kind() == reflect.Struct {
		if f, ok := t.FieldByName(name); ok {
			idx = f.Index
		}
	}
	fieldIndexes.Store(k, idx)
	return idx, idx != nil
}
