package autotrace

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type panickyID int

func (panickyID) String() string { panic("no name") }

type nameID int

func (n nameID) String() string { return "id-" + AttrValue{bits: uint64(n), kind: KindInt}.String() }

// TestTypedAttrs records one attribute of every kind and checks the JSON
// types as well as the values.
func TestTypedAttrs(t *testing.T) {
	for _, name := range []string{"trace.jsonl", "trace.bin"} {
		t.Run(name, func(t *testing.T) { typedAttrs(t, name) })
	}
}

func typedAttrs(t *testing.T, name string) {
	out := record(t, Config{Out: filepath.Join(t.TempDir(), name)})
	when := time.Date(2026, 12, 2, 17, 0, 0, 5, time.UTC)
	_, sp := Start(context.Background(), "typed")
	sp.SetInt("int", -42)
	sp.SetUint("uint", math.MaxUint64)
	sp.SetFloat("float", 1.5)
	sp.SetFloat("nan", math.NaN())
	sp.SetBool("bool", true)
	sp.SetString("string", "ann")
	sp.SetDuration("dur", 1500*time.Millisecond)
	sp.SetTime("time", when)
	sp.SetTime("zero", time.Time{})
	sp.SetErrorText("err", errors.New("not found"))
	sp.SetErrorText("nilerr", nil)
	sp.SetStringer("str", nameID(7))
	sp.SetStringer("panicky", panickyID(1))
	sp.End()
	sp.SetInt("after", 1) // ignored: ended
	Flush()
	data := traceView(t, out) // JSON Lines as written, or the binary trace's view
	line := string(data)
	for _, want := range []string{
		`"int":-42`, `"uint":18446744073709551615`, `"float":1.5`, `"nan":"NaN"`, `"bool":true`,
		`"string":"ann"`, `"dur":1500000000`, `"time":"2026-12-02T17:00:00.000000005Z"`,
		`"zero":"0001-01-01T00:00:00Z"`, `"err":"not found"`, `"str":"id-7"`, `"panicky":"<panic: no name>"`,
	} {
		if !strings.Contains(line, want) {
			t.Errorf("trace lacks %s:\n%s", want, line)
		}
	}
	for _, absent := range []string{`"nilerr"`, `"after"`} {
		if strings.Contains(line, absent) {
			t.Errorf("trace has %s:\n%s", absent, line)
		}
	}
	spans := mustSpans(t, out)
	if len(spans) != 1 || spans[0].Attrs["int"] != float64(-42) || spans[0].Attrs["bool"] != true {
		t.Errorf("decoded %+v", spans)
	}
}

// TestAttrValueString covers the printed form every reader of Attr uses.
func TestAttrValueString(t *testing.T) {
	tests := []struct {
		v    AttrValue
		want string
		kind AttrKind
	}{
		{IntValue(-3), "-3", KindInt},
		{UintValue(3), "3", KindUint},
		{FloatValue(0.25), "0.25", KindFloat},
		{BoolValue(false), "false", KindBool},
		{StringValue("x"), "x", KindString},
		{TimeValue(time.Unix(1, 0)), "1970-01-01T00:00:01Z", KindTime},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want || tt.v.Kind() != tt.kind {
			t.Errorf("%#v: %q kind %d, want %q kind %d", tt.v, got, tt.v.Kind(), tt.want, tt.kind)
		}
	}
}

// TestAttrsOffAllocateNothing: with recording off, the guarded setters
// generated code writes cost no allocation.
func TestAttrsOffAllocateNothing(t *testing.T) {
	reset(t)
	items := []int{1, 2, 3}
	allocs := testing.AllocsPerRun(100, func() {
		sp := StartHere("off")
		if sp.Recording() {
			sp.SetInt("len(items)", int64(len(items)))
			sp.SetStringer("s", nameID(1))
		}
		sp.End()
	})
	if allocs != 0 {
		t.Errorf("%v allocations with recording off", allocs)
	}
}

// TestAttrsBounded: a span keeps at most maxAttrs attributes.
func TestAttrsBounded(t *testing.T) {
	out := record(t, Config{})
	sp := StartHere("many")
	for i := range maxAttrs + 5 {
		sp.SetInt(strings.Repeat("k", i+1), int64(i))
	}
	sp.End()
	Flush()
	spans := mustSpans(t, out)
	if n := len(spans[0].Attrs) - 3; n != maxAttrs { // less the code.* three
		t.Errorf("%d attributes kept, want %d", n, maxAttrs)
	}
}

type ptrErr struct{ code int }

func (e *ptrErr) Error() string { return "code " + IntValue(int64(e.code)).String() }

// recorded is instrumented as gen writes attrs=n,err,p,len(rows),stage.
func recorded(fail bool) (n int, err error, p *ptrErr, rows []string, stage string) {
	__span := StartHere("recorded")
	defer __span.EndErr(&err)
	defer RecordInt(__span, "n", &n)
	defer RecordError(__span, "err", &err)
	defer RecordErrorPtr(__span, "p", &p)
	defer RecordLen(__span, "len(rows)", &rows)
	defer RecordString(__span, "stage", &stage)
	defer func() { n *= 10 }() // the function's own: runs first
	stage = "started"
	if fail {
		panic("boom")
	}
	return 3, errors.New("bad"), nil, []string{"a", "b"}, "done"
}

// TestRecordResults: results are recorded after the function's own
// deferred calls, on the return and the panic paths; a nil pointer error
// records nothing.
func TestRecordResults(t *testing.T) {
	out := record(t, Config{})
	recorded(false)
	func() {
		defer func() { recover() }()
		recorded(true)
	}()
	Flush()
	spans := mustSpans(t, out)
	if len(spans) != 2 {
		t.Fatalf("%d spans", len(spans))
	}
	ok, panicked := spans[0], spans[1]
	if ok.Status == "panic" {
		ok, panicked = panicked, ok
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"n after the deferred code", ok.Attrs["n"], float64(30)},
		{"err", ok.Attrs["err"], "bad"},
		{"nil pointer error", ok.Attrs["p"], nil},
		{"len", ok.Attrs["len(rows)"], float64(2)},
		{"stage", ok.Attrs["stage"], "done"},
		{"panic status", panicked.Status, "panic"},
		{"panic path stage", panicked.Attrs["stage"], "started"},
		{"panic path n", panicked.Attrs["n"], float64(0)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
