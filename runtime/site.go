package autotrace

import (
	"path"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Generated code passes only the span name: the function's import path,
// file and line would go stale in committed source with every edit above
// the function. They are found instead from the caller's stack, once per
// call site, and cached with the site's escaped JSON fragments.

// callSite is what is static about the spans of one instrumented function.
type callSite struct {
	name     string
	function string // import-path-qualified, e.g. example.com/shop.(*Cart).Add
	location string // module-relative "file:line" of the function
	json     siteJSON
	idx      uint32 // number in the site registry (siteAt), 0 if none
}

// siteJSON is a site's escaped fragments: head follows parent_id and
// precedes start_ns, attrs opens the attrs object.
type siteJSON struct{ head, attrs string }

// siteTable is a direct-mapped cache from the address of a name string to
// its site. Generated code passes string constants, so the address
// identifies the call site and a lookup is one load and two compares. Two
// sites that collide in the table both stay correct; they only resolve
// more often.
var siteTable [4096]atomic.Pointer[callSite]

// siteOf returns the site of the instrumented function that called into
// the runtime with name.
func siteOf(name string) *callSite {
	if c := siteCached(name); c != nil {
		return c
	}
	c := resolveSite(name)
	siteTable[siteHash(name)].Store(c)
	return c
}

// siteCached returns name's site if the table has it, else nil.
func siteCached(name string) *callSite {
	if c := siteTable[siteHash(name)].Load(); c != nil && unsafe.StringData(c.name) == unsafe.StringData(name) && len(c.name) == len(name) {
		return c
	}
	return nil
}

func siteHash(name string) uintptr {
	return (uintptr(unsafe.Pointer(unsafe.StringData(name)))>>3 ^ uintptr(len(name))) & (uintptr(len(siteTable)) - 1)
}

const selfPrefix = "github.com/autotrace/autotrace/runtime."

// mainSpanned is set when main.main started a span: gen and toolexec give
// such a main a deferred EndMain, so the program's exit writes everything
// and root spans' ends need not (see recorder.push).
var mainSpanned atomic.Bool

// resolveSite reads the first frame outside this package: the function
// the generated code is in.
func resolveSite(name string) *callSite {
	var pcs [16]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	c := &callSite{name: name, function: name}
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, selfPrefix) || strings.HasPrefix(f.Function, selfPrefix+"Test") {
			line := f.Line
			if f.Func != nil {
				_, line = f.Func.FileLine(f.Entry)
			}
			c.function = qualify(f.Function)
			c.location = moduleRelative(c.function, f.File) + ":" + strconv.Itoa(line)
			if f.Function == "main.main" {
				mainSpanned.Store(true)
			}
			break
		}
		if !more {
			break
		}
	}
	c.json = encodeSite(c)
	return registerSite(c)
}

// The site registry numbers call sites, so that an ended span in a buffer
// names its site with an index, not a pointer: the buffers then hold no
// pointers at all, and the garbage collector never scans them (see
// ring.go). Sites are deduplicated by content, so a site resolved again
// (two names colliding in siteTable, say) keeps its number, and the
// registry grows only with distinct sites. Past maxSites
// (names built at run time), a site gets no number and its spans are
// buffered with the Span itself.
const (
	siteChunkBits = 8
	siteChunk     = 1 << siteChunkBits
	maxSites      = 1 << 16
)

type siteKey struct{ name, function, location string }

var sites struct {
	mu     sync.Mutex
	byKey  map[siteKey]*callSite
	n      uint32 // numbers given so far; 0 is none
	chunks [maxSites / siteChunk]atomic.Pointer[[siteChunk]atomic.Pointer[callSite]]
}

// registerSite numbers c: with the number of the registered site of the
// same content, else with a new one if the registry has room. It returns
// c itself, whose name keeps the caller's string (siteOf's cache key).
func registerSite(c *callSite) *callSite {
	k := siteKey{c.name, c.function, c.location}
	sites.mu.Lock()
	defer sites.mu.Unlock()
	if old := sites.byKey[k]; old != nil {
		c.idx = old.idx
		return c
	}
	if sites.n+1 >= maxSites {
		return c
	}
	if sites.byKey == nil {
		sites.byKey = make(map[siteKey]*callSite)
	}
	sites.n++
	c.idx = sites.n
	ch := sites.chunks[c.idx>>siteChunkBits].Load()
	if ch == nil {
		ch = new([siteChunk]atomic.Pointer[callSite])
		sites.chunks[c.idx>>siteChunkBits].Store(ch)
	}
	ch[c.idx&(siteChunk-1)].Store(c)
	sites.byKey[k] = c
	return c
}

// siteAt returns the site numbered i (not 0).
func siteAt(i uint32) *callSite {
	return sites.chunks[i>>siteChunkBits].Load()[i&(siteChunk-1)].Load()
}

// modules is what the binary knows of its main package and modules.
var modules = sync.OnceValue(func() (m struct {
	mainPkg string
	paths   []string
}) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return m
	}
	m.mainPkg = bi.Path
	if bi.Main.Path != "" {
		m.paths = append(m.paths, bi.Main.Path)
	}
	for _, d := range bi.Deps {
		m.paths = append(m.paths, d.Path)
	}
	return m
})

// qualify turns the runtime's main.F into the main package's import path.
func qualify(function string) string {
	if rest, ok := strings.CutPrefix(function, "main."); ok && modules().mainPkg != "" && modules().mainPkg != "command-line-arguments" {
		return modules().mainPkg + "." + rest
	}
	return function
}

// moduleRelative returns file relative to the root of the module holding
// function's package, or file itself when no module is known for it.
func moduleRelative(function, file string) string {
	pkg := function
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		if j := strings.IndexByte(pkg[i:], '.'); j >= 0 {
			pkg = pkg[:i+j]
		}
	} else if j := strings.IndexByte(pkg, '.'); j >= 0 {
		pkg = pkg[:j]
	}
	best := ""
	for _, m := range modules().paths {
		if (pkg == m || strings.HasPrefix(pkg, m+"/")) && len(m) > len(best) {
			best = m
		}
	}
	if best == "" {
		return file
	}
	return path.Join(strings.TrimPrefix(strings.TrimPrefix(pkg, best), "/"), path.Base(file))
}

func encodeSite(c *callSite) siteJSON {
	b := []byte(`","name":`)
	b = appendString(b, c.name)
	b = append(b, `,"start_ns":`...)
	head := string(b)
	b = append(b[:0], `,"attrs":{"code.function.name":`...)
	b = appendString(b, c.function)
	path, line := splitLocation(c.location)
	b = append(b, `,"code.file.path":`...)
	b = appendString(b, path)
	if line >= 0 {
		b = append(b, `,"code.line.number":`...)
		b = strconv.AppendInt(b, int64(line), 10)
	}
	return siteJSON{head, string(b)}
}
