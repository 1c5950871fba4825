package autotrace

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// AUTOTRACE_SLOW: the flight recorder keeps the last seconds of execution
// trace in memory; when a span runs longer than the threshold, the
// background goroutine writes them to a file named after the span and its
// trace, which `autotrace report` analyses like AUTOTRACE_EXECTRACE's.

// Bounds on snapshots, so a slow service cannot fill the disk.
const (
	slowMinAge      = 10 * time.Second // the window kept, at least
	slowMaxBytes    = 8 << 20          // the window's size, roughly
	slowMaxFiles    = 8                // snapshots per process
	slowMaxTotal    = 64 << 20         // bytes of snapshots per process
	slowMinInterval = time.Second      // between two snapshots
)

// slowReq is a snapshot asked for by a slow span.
type slowReq struct {
	name  string
	trace traceID
}

// requestSnapshot asks the background goroutine for a snapshot on behalf
// of a slow span, at most once per slowMinInterval, and reports whether it
// did; it never blocks.
func requestSnapshot(name string, trace traceID) bool {
	now := monoNow()
	last := ex.lastSlow.Load()
	if last != 0 && now-last < int64(slowMinInterval) {
		return false
	}
	if !ex.lastSlow.CompareAndSwap(last, now) {
		return false
	}
	if !ex.pending.CompareAndSwap(nil, &slowReq{name: name, trace: trace}) {
		return false
	}
	if r := active.Load(); r != nil {
		select {
		case r.wake <- struct{}{}:
		default:
		}
	}
	return true
}

// writeSnapshot asks for a snapshot on behalf of an open span past the
// threshold, then writes the pending snapshot, if any, within the bounds.
// The background goroutine calls it after each flush.
func writeSnapshot() {
	if slow := ex.slow; slow > 0 && execOn.Load() {
		watchScan(monoNow(), slow)
	}
	req := ex.pending.Load()
	if req == nil {
		return
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	defer ex.pending.Store(nil)
	if ex.fr == nil || ex.files >= slowMaxFiles || ex.bytes+2*slowMaxBytes > slowMaxTotal {
		return
	}
	path := filepath.Join(ex.dir, snapshotName(req))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		warnf("slow-span snapshot: %v", err)
		return
	}
	w := bufio.NewWriterSize(f, 64<<10)
	n, err := ex.fr.WriteTo(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	ex.files++
	ex.bytes += n
	if err != nil {
		warnf("slow-span snapshot %s: %v", path, err)
		os.Remove(path)
	}
}

// snapshotName names a snapshot after the span and its trace:
// autotrace-slow-<span name>-<trace id>.trace, the name cut to a safe
// alphabet and length.
func snapshotName(req *slowReq) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, req.name)
	if len(name) > 64 {
		name = name[len(name)-64:]
	}
	b := make([]byte, 0, 32)
	b = appendHex64(b, req.trace.hi)
	b = appendHex64(b, req.trace.lo)
	return "autotrace-slow-" + name + "-" + string(b) + ".trace"
}
