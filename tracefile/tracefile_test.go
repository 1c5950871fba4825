package tracefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"testing"
)

// The sample files are written by the runtime's encoder
// (AUTOTRACE_UPDATE_SAMPLE=1 go test ./runtime -run TestBinarySample).

func readView(t *testing.T, data []byte) ([]byte, *Stats) {
	t.Helper()
	view, st := JSONLines(bytes.NewReader(data))
	out, err := io.ReadAll(view)
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func TestSampleView(t *testing.T) {
	bin, err := os.ReadFile("testdata/sample.trace")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	got, st := readView(t, bin)
	if !st.Binary || st.Torn != 0 || st.Unreadable != 0 {
		t.Errorf("stats %+v", *st)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("view of sample.trace differs from sample.jsonl")
	}
	// JSON Lines pass through unchanged.
	if got, st := readView(t, want); st.Binary || !bytes.Equal(got, want) {
		t.Errorf("JSON Lines not passed through as they are")
	}
}

// chunk builds a chunk by hand, from the specification alone.
func chunk(pid uint32, flags byte, payload []byte) []byte {
	h := make([]byte, headerLen)
	copy(h, "\x89ATR")
	h[4], h[5], h[6] = 1, 0, flags
	binary.LittleEndian.PutUint32(h[8:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(h[12:], pid)
	crc := crc32.Update(0, crc32.MakeTable(crc32.Castagnoli), h[4:16])
	crc = crc32.Update(crc, crc32.MakeTable(crc32.Castagnoli), payload)
	binary.LittleEndian.PutUint32(h[16:], crc)
	return append(h, payload...)
}

func str(b []byte, s string) []byte { return append(binary.AppendUvarint(b, uint64(len(s))), s...) }

func record(typ byte, body []byte) []byte {
	return append(binary.AppendUvarint([]byte{typ}, uint64(len(body))), body...)
}

// TestSpecification decodes records written by hand from
// docs/trace-format.md, including fields and types of a later minor
// version, which are skipped.
func TestSpecification(t *testing.T) {
	var p []byte
	site := binary.AppendUvarint(nil, 7)
	site = str(site, "shop.Buy")
	site = str(site, "example.com/shop.Buy")
	site = str(site, "shop/buy.go")
	site = binary.AppendUvarint(site, 43)
	site = append(site, "a later field"...)
	p = append(p, record(1, site)...)
	p = append(p, record(2, str(binary.AppendUvarint(nil, 1), "user"))...)
	p = append(p, record(9, []byte("unknown record type"))...)
	// A root span: new trace, no parent, status error, extras.
	trace := []byte("0123456789abcdef")
	var extras []byte
	extras = append(extras, 1)
	extras = str(extras, "out of stock")
	attr := append(binary.AppendUvarint(nil, 1), 1)
	attr = str(attr, "ann")
	extras = append(binary.AppendUvarint(append(extras, 4), uint64(len(attr))), attr...)
	attr = append(str([]byte{0}, "n"), 2)
	attr = binary.AppendVarint(attr, -5)
	extras = append(binary.AppendUvarint(append(extras, 4), uint64(len(attr))), attr...)
	extras = append(extras, 99, 2, 'x', 'y') // unknown tag
	p = append(p, 0x80|0|0<<2|1<<4|1<<6)
	p = append(p, "SPANID01"...)
	p = append(p, trace...)
	p = binary.AppendUvarint(p, 7)
	p = binary.AppendVarint(p, 1_700_000_000_000_000_000)
	p = binary.AppendUvarint(p, 1500)
	p = binary.AppendUvarint(p, uint64(len(extras)))
	p = append(p, extras...)
	// A child: same trace, parent given, 10 ns later.
	p = append(p, 0x80|1|1<<2)
	p = append(p, "SPANID02"...)
	p = append(p, "SPANID01"...)
	p = binary.AppendUvarint(p, 7)
	p = binary.AppendVarint(p, 10)
	p = binary.AppendUvarint(p, 20)
	proc := str(nil, "shop -v")
	proc = binary.AppendVarint(proc, 1_699_999_999_000_000_000)
	for _, v := range []uint64{2, 0, 1, 0, 0, 1} {
		proc = binary.AppendUvarint(proc, v)
	}
	proc = str(proc, "shop.Wait")
	p = append(p, record(3, proc)...)

	got, st := readView(t, chunk(42, flagFirst, p))
	want := `{"trace_id":"30313233343536373839616263646566","span_id":"5350414e49443031","parent_id":"","name":"shop.Buy","start_ns":1700000000000000000,"dur_ns":1500,"pid":42,"status":"error","error":"out of stock","attrs":{"code.function.name":"example.com/shop.Buy","code.file.path":"shop/buy.go","code.line.number":42,"user":"ann","n":-5}}
{"trace_id":"30313233343536373839616263646566","span_id":"5350414e49443032","parent_id":"5350414e49443031","name":"shop.Buy","start_ns":1700000000000000010,"dur_ns":20,"pid":42,"status":"ok","attrs":{"code.function.name":"example.com/shop.Buy","code.file.path":"shop/buy.go","code.line.number":42}}
{"process":{"pid":42,"cmd":"shop -v","start_ns":1699999999000000000,"spans":2,"dropped":0,"pending":["shop.Wait"],"pending_count":1}}
`
	if string(got) != want || st.Torn != 0 || st.Unreadable != 0 {
		t.Errorf("got (stats %+v)\n%s\nwant\n%s", *st, got, want)
	}
}

func TestVersionError(t *testing.T) {
	c := chunk(1, 0, nil)
	c[4] = 2
	view, _ := JSONLines(bytes.NewReader(c))
	_, err := io.ReadAll(view)
	var ve *VersionError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "version 2.0") {
		t.Errorf("error %v, want a version error", err)
	}
}

// FuzzDecode: no input makes the decoder panic, loop or fail to stop.
// (Run it with -fuzzminimizetime of a few seconds: minimizing an input of
// the whole sample takes the default minute, during which no execs show.)
func FuzzDecode(f *testing.F) {
	if b, err := os.ReadFile("testdata/sample.trace"); err == nil {
		f.Add(b)
		f.Add(b[:min(len(b), 700)]) // a whole first chunk, and a cut one
	}
	f.Add([]byte("\x89ATR"))
	f.Add(chunk(5, 1, []byte{0x80}))
	f.Fuzz(func(t *testing.T, data []byte) {
		view, _ := JSONLines(bytes.NewReader(data))
		io.Copy(io.Discard, view)
	})
}
