package hotspot

// sp builds a span of trace t with ID id and parent p (0 for none).
func sp(t, id, p byte, name string, start, dur int64) Span {
	s := Span{Name: name, Start: start, Dur: dur, Pid: 1}
	s.TraceID[0] = t
	s.SpanID[7] = id
	if p != 0 {
		s.ParentID[7] = p
	}
	return s
}

func withStatus(s Span, st uint8) Span { s.Status = st; return s }

func withPid(s Span, pid int) Span { s.Pid = pid; return s }

// statOf returns the stat named name in r.
func statOf(r *Result, name string) Stat {
	for _, s := range r.Stats {
		if s.Name == name {
			return s
		}
	}
	return Stat{}
}
