package report

import (
	"strings"
	"testing"

	"github.com/autotrace/autotrace/internal/hotspot"
)

func TestParse(t *testing.T) {
	const ids = `"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331"`
	tests := []struct {
		name  string
		line  string
		kind  kind
		err   string
		check func(t *testing.T, r *record)
	}{
		{name: "blank", line: "  ", kind: kindBlank},
		{name: "span", kind: kindSpan,
			line: `{` + ids + `,"parent_id":"00f067aa0ba902b7","name":"shop.(*Cart).Add","start_ns":1700000000000000000,"dur_ns":1234,"pid":42,"status":"error","error":"boom","attrs":{"code.line.number":31,"nested":{"a":[1,"}",{"b":null}]}}}`,
			check: func(t *testing.T, r *record) {
				s := r.span
				if s.Name != "shop.(*Cart).Add" || s.Start != 1700000000000000000 || s.Dur != 1234 || s.Pid != 42 ||
					s.Status != hotspot.StatusError || s.TraceID[0] != 0x0a || s.SpanID[7] != 0x31 || s.ParentID[0] != 0 || s.ParentID[7] != 0xb7 || r.errMsg != "boom" {
					t.Errorf("got %+v %q", s, r.errMsg)
				}
			}},
		{name: "keys in any order, spaces, unknown keys", kind: kindSpan,
			line: ` { "dur_ns" : 5 , "future" : [true, false, null, -1.5e3] , "name" : "a\"b\u00e9" , "start_ns" : 1.5e3, ` + ids + `, "status": "panic", "parent_id": null } `,
			check: func(t *testing.T, r *record) {
				if r.span.Name != "a\"bé" || r.span.Start != 1500 || r.span.Dur != 5 || r.span.Status != hotspot.StatusPanic || !r.span.IsRoot() {
					t.Errorf("got %+v", r.span)
				}
			}},
		{name: "upper-case hex", kind: kindSpan,
			line: `{"trace_id":"0AF7651916CD43DD8448EB211C80319C","span_id":"B7AD6B7169203331","name":"x","start_ns":1,"dur_ns":2}`},
		{name: "process", kind: kindProcess,
			line: `{"process":{"pid":7,"cmd":"api","spans":3,"dropped":1,"pending":["a",{"name":"b"}],"pending_count":5}}`,
			check: func(t *testing.T, r *record) {
				p, err := parseProcess(r.process)
				if err != nil || p.Pid != 7 || p.Cmd != "api" || p.Dropped != 1 || p.Pending != 5 || strings.Join(p.Open, ",") != "a,b" {
					t.Errorf("got %+v, %v", p, err)
				}
			}},
		{name: "other record", line: `{"metric":{"x":1}}`, kind: kindOther},
		{name: "truncated", line: `{` + ids + `,"name":"sho`, err: "truncated line"},
		{name: "truncated after key", line: `{` + ids + `,"name"`, err: "truncated line"},
		{name: "missing field", line: `{` + ids + `,"name":"x","start_ns":1}`, err: "span without dur_ns"},
		{name: "bad hex", line: `{"trace_id":"xyz","span_id":"b7ad6b7169203331","name":"x","start_ns":1,"dur_ns":2}`, err: `bad trace_id "xyz"`},
		{name: "not an object", line: `[1,2]`, err: "not a JSON object"},
		{name: "trailing text", line: `{"a":1} x`, err: "text after the object at column 9"},
		{name: "bad number", line: `{"start_ns":"x"}`, err: "bad start_ns: expected a number at column 13"},
		{name: "missing comma", line: `{"a":1 "b":2}`, err: "expected ',' or '}' at column 8"},
	}
	p := newParser()
	p.wantError = true
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r record
			k, err := p.parse([]byte(tt.line), &r)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || k != tt.kind {
				t.Fatalf("kind %d, err %v; want %d", k, err, tt.kind)
			}
			if tt.check != nil {
				tt.check(t, &r)
			}
		})
	}
}

func TestParseAllocs(t *testing.T) {
	line := []byte(`{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","parent_id":"00f067aa0ba902b7","name":"shop.(*Cart).Add","start_ns":1700000000000000000,"dur_ns":1234,"pid":42,"status":"ok","attrs":{"code.function.name":"example.com/shop.(*Cart).Add","code.line.number":31}}`)
	p := newParser()
	var r record
	p.parse(line, &r)
	if n := testing.AllocsPerRun(100, func() { p.parse(line, &r) }); n != 0 {
		t.Errorf("parse allocates %v times a line", n)
	}
}
