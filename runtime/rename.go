package autotrace

import (
	"bytes"
	"strings"
	"sync"
)

// Rename gives the span s, as it ends, a name made of attributes recorded
// on it, for rules whose span is best named by what the call turned out
// to be (rename=: an HTTP server's request is "GET /items/{id}", known
// only once the ServeMux matched). Each word is a key, or keys separated
// by "|" of which the first recorded with a non-empty value counts; the
// words' values are joined by spaces, and a value that begins with the
// name so far and a space replaces it (a Go 1.22 pattern that holds its
// method, "GET /items/{id}", after the method "GET"). The span keeps its
// name when no word has a value.
//
// Generated code defers Rename after End, so that it runs after the
// deferred calls that record attributes at return and before End. The
// names are bounded: past maxRenamed distinct names, a span keeps its
// own.
func Rename(s Span, words ...string) {
	r := s.recording()
	if r == nil {
		return
	}
	x := extOf(s.r.idx())
	if x == nil {
		return
	}
	var nameBuf, valueBuf [128]byte
	name := nameBuf[:0]
	for _, w := range words {
		v := firstValue(x.attrs, w, valueBuf[:0])
		if len(v) == 0 {
			continue
		}
		switch {
		case len(name) == 0:
		case bytes.HasPrefix(v, name) && len(v) > len(name) && v[len(name)] == ' ':
			name = name[:0]
		default:
			name = append(name, ' ')
		}
		name = append(name, v...)
	}
	if len(name) == 0 {
		return
	}
	from := siteOfRec(r, x)
	if from == nil || from.idx == 0 {
		return // a site the registry could not number: keep it
	}
	if c := renamedSite(from, name); c != nil {
		setSite(r, s.r, c)
	}
}

// firstValue returns the text of the first attribute of attrs named by
// one of the "|"-separated keys of word with a non-empty value, in buf's
// memory where it fits, or nil.
func firstValue(attrs []Attr, word string, buf []byte) []byte {
	for key := range strings.SplitSeq(word, "|") {
		for _, a := range attrs {
			if a.Key != key {
				continue
			}
			if v := a.Value.appendText(buf); len(v) > 0 {
				return v
			}
			break
		}
	}
	return nil
}

// maxRenamed bounds the names Rename makes, over all sites: a name built
// from a request's path (a route that matched no pattern) is as many as
// the paths clients send.
const maxRenamed = 1024

// renamed caches the sites Rename made, by the site renamed and the name.
var renamed struct {
	mu    sync.RWMutex
	sites map[uint32]map[string]*callSite
	n     int
}

// renamedSite returns the site of from's function and location under
// name, making it on first use, or nil when maxRenamed names are made.
func renamedSite(from *callSite, name []byte) *callSite {
	renamed.mu.RLock()
	c := renamed.sites[from.idx][string(name)]
	renamed.mu.RUnlock()
	if c != nil {
		return c
	}
	renamed.mu.Lock()
	defer renamed.mu.Unlock()
	if c := renamed.sites[from.idx][string(name)]; c != nil {
		return c
	}
	if renamed.n >= maxRenamed {
		return nil
	}
	c = &callSite{name: string(name), function: from.function, location: from.location}
	c.json = encodeSite(c)
	if registerSite(c).idx == 0 {
		return nil // the registry is full
	}
	if renamed.sites == nil {
		renamed.sites = make(map[uint32]map[string]*callSite)
	}
	m := renamed.sites[from.idx]
	if m == nil {
		m = make(map[string]*callSite)
		renamed.sites[from.idx] = m
	}
	m[c.name] = c
	renamed.n++
	return c
}
