package report

import "encoding/binary"

// pbuf builds protocol buffer messages by appending fields to b.
type pbuf struct{ b []byte }

func (p *pbuf) tag(field, wire int) {
	if k := field<<3 | wire; k < 0x80 {
		p.b = append(p.b, byte(k)) // fields 1 to 15: one byte
		return
	}
	p.b = binary.AppendUvarint(p.b, uint64(field)<<3|uint64(wire))
}
func (p *pbuf) varint(field int, v uint64) {
	p.tag(field, 0)
	p.b = binary.AppendUvarint(p.b, v)
}
func (p *pbuf) bytes(field int, v []byte) {
	p.tag(field, 2)
	p.b = binary.AppendUvarint(p.b, uint64(len(v)))
	p.b = append(p.b, v...)
}
func (p *pbuf) string(field int, v string) {
	p.tag(field, 2)
	p.b = binary.AppendUvarint(p.b, uint64(len(v)))
	p.b = append(p.b, v...)
}

// open starts a length-delimited field whose length is not known yet; close
// writes it. One byte is reserved for the length, which is enough for most
// messages written here (a packet of a slice is about 40 bytes); close
// moves a longer message up to make room for its length.
func (p *pbuf) open(field int) int {
	p.tag(field, 2)
	p.b = append(p.b, 0)
	return len(p.b)
}
func (p *pbuf) close(at int) {
	n := len(p.b) - at
	if n < 0x80 {
		p.b[at-1] = byte(n)
		return
	}
	k := uvarintLen(uint64(n))
	for range k - 1 {
		p.b = append(p.b, 0)
	}
	copy(p.b[at-1+k:], p.b[at:at+n])
	binary.PutUvarint(p.b[at-1:], uint64(n))
}

// uvarintLen is the length of v as a varint.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
