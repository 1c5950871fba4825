package autotrace

import (
	"context"
	"strconv"
	"testing"
)

// TestRename: a span named at its end from its attributes, as the
// http-server rule names a request by its method and route.
func TestRename(t *testing.T) {
	tests := []struct {
		attrs []Attr
		words []string
		want  string
	}{
		{[]Attr{Attr{"m", StringValue("GET")}, Attr{"route", StringValue("/items/{id}")}}, []string{"m", "route|path"}, "GET /items/{id}"},
		{[]Attr{Attr{"m", StringValue("GET")}, Attr{"route", StringValue("GET /items/{id}")}}, []string{"m", "route|path"}, "GET /items/{id}"},
		{[]Attr{Attr{"m", StringValue("GET")}, Attr{"route", StringValue("GETX /a")}}, []string{"m", "route"}, "GET GETX /a"},
		{[]Attr{Attr{"m", StringValue("POST")}, Attr{"route", StringValue("")}, Attr{"path", StringValue("/nowhere")}}, []string{"m", "route|path"}, "POST /nowhere"},
		{[]Attr{Attr{"m", StringValue("PUT")}}, []string{"m", "route"}, "PUT"},
		{[]Attr{Attr{"status", IntValue(404)}}, []string{"status"}, "404"},
		{nil, []string{"m", "route"}, "rename.start"},
		{[]Attr{Attr{"other", StringValue("x")}}, []string{"m"}, "rename.start"},
	}
	out := record(t, Config{})
	for i, tt := range tests {
		_, sp := Start(context.Background(), "rename.start")
		sp.SetInt("case", int64(i))
		for _, a := range tt.attrs {
			sp.set(a.Key, a.Value)
		}
		Rename(sp, tt.words...)
		sp.End()
	}
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, s := range mustSpans(t, out) {
		got[int(s.Attrs["case"].(float64))] = s.Name
	}
	for i, tt := range tests {
		if got := got[i]; got != tt.want {
			t.Errorf("Rename(%v) of a span with %v: %q, want %q", tt.words, tt.attrs, got, tt.want)
		}
	}
}

// TestRenameBounded: names made from values clients choose (paths) stop
// at maxRenamed; later spans keep their own name, and a name made before
// is still given.
func TestRenameBounded(t *testing.T) {
	out := record(t, Config{})
	for i := range maxRenamed + 10 {
		_, sp := Start(context.Background(), "bounded.start")
		sp.SetString("path", "/p"+strconv.Itoa(i))
		Rename(sp, "path")
		sp.End()
	}
	_, sp := Start(context.Background(), "bounded.start")
	sp.SetString("path", "/p0")
	Rename(sp, "path")
	sp.End()
	if err := Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, s := range mustSpans(t, out) {
		names[s.Name]++
	}
	if names["/p0"] != 2 {
		t.Errorf("/p0 named %d times, want 2 (a name made before the bound is reached stays)", names["/p0"])
	}
	if names["bounded.start"] == 0 || len(names) > maxRenamed+1 {
		t.Errorf("%d distinct names, %d spans kept their own: want at most %d names", len(names), names["bounded.start"], maxRenamed+1)
	}
}
