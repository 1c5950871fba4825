package otlp

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// The attributes the runtime writes for a panic; they become the
// attributes of the span's exception event.
const (
	attrPanicValue    = "panic.value"
	attrPanicLocation = "panic.location"
	attrPanicFunction = "panic.function"
)

// convert maps a span line to an OTLP span.
func convert(l *spanLine) otlpSpan {
	end := *l.StartNs + l.DurNs
	s := otlpSpan{
		TraceID: l.TraceID, SpanID: l.SpanID, ParentSpanID: l.ParentID, TraceState: l.State,
		Name: l.Name, Kind: kindInternal,
		StartTimeUnixNano: strconv.FormatInt(*l.StartNs, 10),
		EndTimeUnixNano:   strconv.FormatInt(end, 10),
	}
	keys := make([]string, 0, len(l.Attrs))
	for k := range l.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if l.Status == "panic" && strings.HasPrefix(k, "panic.") {
			continue // in the exception event
		}
		s.Attributes = append(s.Attributes, keyValue{k, value(l.Attrs[k])})
	}
	at := strconv.FormatInt(end, 10)
	switch l.Status {
	case "error":
		s.Status = &status{Code: statusError, Message: l.Error}
		s.Events = []event{{TimeUnixNano: at, Name: "exception", Attributes: []keyValue{
			str("exception.message", l.Error),
		}}}
	case "panic":
		v := attrString(l.Attrs[attrPanicValue])
		s.Status = &status{Code: statusError, Message: "panic: " + v}
		ev := event{TimeUnixNano: at, Name: "exception", Attributes: []keyValue{
			str("exception.type", "panic"),
			str("exception.message", v),
			str("exception.escaped", "true"),
		}}
		for _, k := range []string{attrPanicFunction, attrPanicLocation} {
			if v, ok := l.Attrs[k]; ok {
				ev.Attributes = append(ev.Attributes, keyValue{k, value(v)})
			}
		}
		s.Events = []event{ev}
	}
	return s
}

func str(k, v string) keyValue { return keyValue{k, anyValue{StringValue: &v}} }

// value maps a JSON attribute value (decoded with UseNumber).
func value(v any) anyValue {
	switch v := v.(type) {
	case string:
		return anyValue{StringValue: &v}
	case bool:
		return anyValue{BoolValue: &v}
	case json.Number:
		if _, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			s := string(v)
			return anyValue{IntValue: &s}
		}
		if f, err := v.Float64(); err == nil {
			return anyValue{DoubleValue: &f}
		}
	}
	s := attrString(v)
	return anyValue{StringValue: &s}
}

// attrString prints any attribute value as a string.
func attrString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return string(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// programName is the service name a process record suggests: the base
// name of its command's first word.
func programName(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return ""
	}
	return filepath.Base(f[0])
}
