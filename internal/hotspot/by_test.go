package hotspot

import "testing"

func withGroup(s Span, g ...string) Span { s.Groups = g; return s }

// TestBy is a known answer: self time per value, children subtracted (late
// ones too), the top values and the rest as one row, spans without the
// attribute in their own row.
func TestBy(t *testing.T) {
	a := New(By(2))
	// Trace 1: get(user=ann) 100ns with a child of 40ns that arrives late.
	a.Add(withGroup(sp(1, 1, 0, "get", 0, 100), "ann"))
	a.Add(sp(1, 2, 1, "db", 10, 40))
	// Trace 2: get(user=bob) 50ns, a leaf; trace 3: get(user=cy) 30ns;
	// trace 4: get(user=dee) 20ns; trace 5: get without the attribute.
	a.Add(withGroup(sp(2, 1, 0, "get", 0, 50), "bob"))
	a.Add(withStatus(withGroup(sp(3, 1, 0, "get", 0, 30), "cy"), StatusError))
	a.Add(withGroup(sp(4, 1, 0, "get", 0, 20), "dee"))
	a.Add(withGroup(sp(5, 1, 0, "get", 0, 5), ""))
	r := a.Result()
	get := statOf(r, "get")
	type row struct {
		name               string
		count, errs        int64
		self, total, maxNs int64
	}
	var got []row
	for _, g := range get.Groups[0] {
		got = append(got, row{g.Name, g.Count, g.Errors, int64(g.Self), int64(g.Total), int64(g.Max)})
	}
	want := []row{
		{"ann", 1, 0, 60, 100, 100},
		{"bob", 1, 0, 50, 50, 50},
		{OtherGroup, 3, 1, 55, 55, 30}, // cy 30 + dee 20 + (none) 5
	}
	if len(got) != len(want) {
		t.Fatalf("groups %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("group %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if db := statOf(r, "db"); len(db.Groups) != 0 {
		t.Errorf("db has groups %+v though no db span has the attribute", db.Groups)
	}
	if get.Self != 165 {
		t.Errorf("get self %d, want 165", get.Self)
	}
}

// TestByOff: without By no breakdown is kept.
func TestByOff(t *testing.T) {
	a := New()
	a.Add(withGroup(sp(1, 1, 0, "get", 0, 100), "ann"))
	if g := statOf(a.Result(), "get").Groups; g != nil {
		t.Errorf("groups %+v without By", g)
	}
}

// TestByBounded: past MaxGroups values, spans go to the other row.
func TestByBounded(t *testing.T) {
	a := New(By(MaxGroups + 10))
	for i := range MaxGroups + 3 {
		s := sp(1, 1, 0, "get", 0, 1)
		s.TraceID[1], s.TraceID[2] = byte(i), byte(i>>8)
		a.Add(withGroup(s, string(rune('a'+i%26))+string(rune(i))))
	}
	g := statOf(a.Result(), "get").Groups[0]
	if len(g) != MaxGroups+1 {
		t.Errorf("%d groups, want %d values and the other row", len(g), MaxGroups)
	}
	var others int64
	for _, s := range g {
		if s.Name == OtherGroup {
			others = s.Count
		}
	}
	if others != 3 {
		t.Errorf("other row counts %d spans, want the 3 past the bound", others)
	}
}

// TestByTwoAttributes: each attribute gets its own breakdown; a name none
// of whose spans has one gets no rows for it.
func TestByTwoAttributes(t *testing.T) {
	a := New(By(10))
	a.Add(withGroup(sp(1, 1, 0, "get", 0, 100), "ann", ""))
	a.Add(withGroup(sp(2, 1, 0, "get", 0, 50), "bob", ""))
	a.Add(withGroup(sp(3, 1, 0, "put", 0, 30), "", "2-3"))
	r := a.Result()
	get, put := statOf(r, "get").Groups, statOf(r, "put").Groups
	if len(get) != 2 || len(get[0]) != 2 || get[0][0].Name != "ann" || get[0][0].Self != 100 || get[1] != nil {
		t.Errorf("get groups %+v", get)
	}
	if len(put) != 2 || put[0] != nil || len(put[1]) != 1 || put[1][0].Name != "2-3" {
		t.Errorf("put groups %+v", put)
	}
}
