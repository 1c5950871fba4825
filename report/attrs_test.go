package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// attrsTrace: four traces of "get" with attributes, one with a db child.
const attrsTrace = `{"trace_id":"0000000000000000000000000000000a","span_id":"0000000000000002","parent_id":"0000000000000001","name":"db","start_ns":1010,"dur_ns":40,"pid":1,"status":"ok","attrs":{"code.function.name":"x.db"}}
{"trace_id":"0000000000000000000000000000000a","span_id":"0000000000000001","parent_id":"","name":"get","start_ns":1000,"dur_ns":100,"pid":1,"status":"ok","attrs":{"code.function.name":"x.get","user":"ann","len(items)":5}}
{"trace_id":"0000000000000000000000000000000b","span_id":"0000000000000003","parent_id":"","name":"get","start_ns":2000,"dur_ns":50,"pid":1,"status":"error","error":"no","attrs":{"user":"bob","len(items)":1}}
{"trace_id":"0000000000000000000000000000000c","span_id":"0000000000000004","parent_id":"","name":"get","start_ns":3000,"dur_ns":30,"pid":1,"status":"ok","attrs":{"user":"ann","len(items)":3,"vip":true}}
{"trace_id":"0000000000000000000000000000000d","span_id":"0000000000000005","parent_id":"","name":"get","start_ns":4000,"dur_ns":20,"pid":1,"status":"ok"}
`

// TestByAndWhere is a known answer for -by and -where in the json format.
func TestByAndWhere(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(attrsTrace), 0o644); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name   string
		Count  int64
		Errors int64
		SelfNs int64 `json:"self_ns"`
	}
	type stat struct {
		row
		By map[string][]row `json:"by"`
	}
	tests := []struct {
		name  string
		args  []string
		get   []row // the get row, then its breakdown by the first -by
		spans int64
	}{
		{"by user", []string{"-by", "user"}, []row{{"get", 4, 1, 160}, {"ann", 2, 0, 90}, {"bob", 1, 1, 50}, {"(none)", 1, 0, 20}}, 5},
		{"by len, powers of two by default", []string{"-by", "len(items)"}, []row{{"get", 4, 1, 160}, {"4-7", 1, 0, 60}, {"1", 1, 1, 50}, {"2-3", 1, 0, 30}, {"(none)", 1, 0, 20}}, 5},
		{"by len, exact", []string{"-by", "len(items)", "-pow2=false"}, []row{{"get", 4, 1, 160}, {"5", 1, 0, 60}, {"1", 1, 1, 50}, {"3", 1, 0, 30}, {"(none)", 1, 0, 20}}, 5},
		{"by a bool", []string{"-by", "vip"}, []row{{"get", 4, 1, 160}, {"(none)", 3, 1, 130}, {"true", 1, 0, 30}}, 5},
		{"where a string", []string{"-where", "user=ann"}, []row{{"get", 2, 0, 90}}, 3},
		{"where a number", []string{"-where", "len(items)=1"}, []row{{"get", 1, 1, 50}}, 1},
		{"where nothing matches", []string{"-where", "user=zed"}, nil, 0},
		{"where and by", []string{"-where", "user=ann", "-by", "len(items)", "-pow2=false"}, []row{{"get", 2, 0, 90}, {"5", 1, 0, 60}, {"3", 1, 0, 30}}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := Command(append(append([]string{"-format", "json"}, tt.args...), path), &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			var rep struct {
				Spans    int64
				By       []string
				Hotspots []stat
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, s := range rep.Hotspots {
				if s.Name == "get" {
					got = append(got, s.row)
					if len(rep.By) > 0 {
						got = append(got, s.By[rep.By[0]]...)
					}
				}
			}
			if rep.Spans != tt.spans || len(got) != len(tt.get) {
				t.Fatalf("%d spans, get rows %+v; want %d, %+v", rep.Spans, got, tt.spans, tt.get)
			}
			for i := range got {
				if got[i] != tt.get[i] {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tt.get[i])
				}
			}
		})
	}
}

// TestByTableAndHTML: the breakdown rows in the table, and in the page
// with the spans' attributes for the timeline's tooltip.
func TestByTableAndHTML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(attrsTrace), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Command([]string{"-by", "user", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"\n  user=ann ", "\n  user=bob ", "\n  user (none) "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := Command([]string{"-format", "html", "-by", "user", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{`"by":["user"]`, `"groups":[{`, `["user","\"ann\""]`, `["len(items)","5"]`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(out.String(), `["code.function.name"`) {
		t.Errorf("page lists code.* attributes")
	}
}

func TestByIgnoredByChrome(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(attrsTrace), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "folded", "-by", "user", path}, &out, &errb); code != 0 || !strings.Contains(errb.String(), "ignoring -by") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

func TestWhereUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Command([]string{"-where", "user", "x"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "want KEY=VALUE") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

func TestPow2Bucket(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{{-3, "<0"}, {0, "0"}, {0.5, "<1"}, {1, "1"}, {1.5, "1"}, {2, "2-3"}, {3, "2-3"}, {4, "4-7"}, {1000, "512-1023"}, {1024, "1024-2047"}} {
		if got := pow2Bucket(tt.x); got != tt.want {
			t.Errorf("pow2Bucket(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

// TestByTwoKeys: -by twice gives both breakdowns, each in its own list.
func TestByTwoKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(attrsTrace), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Command([]string{"-format", "json", "-by", "user", "-by", "len(items)", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep struct {
		By       []string
		Hotspots []struct {
			Name string
			By   map[string][]struct{ Name string }
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if strings.Join(rep.By, " ") != "user len(items)" {
		t.Errorf("by %q", rep.By)
	}
	for _, h := range rep.Hotspots {
		switch h.Name {
		case "get":
			if len(h.By["user"]) != 3 || h.By["len(items)"][0].Name != "4-7" {
				t.Errorf("get by %+v", h.By)
			}
		case "db":
			if h.By != nil {
				t.Errorf("db by %+v", h.By)
			}
		}
	}
	out.Reset()
	if code := Command([]string{"-by", "user", "-by", "len(items)", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"\n  user=ann ", "\n  len(items)=4-7 "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

// TestAttrTextEscapedKey: a key JSON escapes is still found.
func TestAttrTextEscapedKey(t *testing.T) {
	raw := []byte(`{"a<b":"x","q\"k":3}`)
	if v, _, ok := attrText(raw, "a<b"); !ok || v != "x" {
		t.Errorf("a<b: %q %v", v, ok)
	}
	if v, num, ok := attrText(raw, `q"k`); !ok || v != "3" || !num {
		t.Errorf(`q"k: %q %v %v`, v, num, ok)
	}
	if _, _, ok := attrText(raw, "zz"); ok {
		t.Error("zz found")
	}
}
