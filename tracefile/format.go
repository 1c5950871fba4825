package tracefile

// Constants of the binary format (docs/trace-format.md), mirrored from the
// runtime's encoder (runtime/binenc.go), which may import nothing of this
// module.
const (
	magic          = "\x89ATR"
	major          = 1
	headerLen      = 20
	flagFirst      = 1
	maxChunk       = 4 << 20 // larger lengths are taken as garbage
	recentTraces   = 16
	recSite        = 1
	recString      = 2
	recProcess     = 3
	recCost        = 4 // since version 1.1: what recording a span costs (Cost)
	recFold        = 5 // since version 1.2: calls folded into one record (Span.Calls)
	spanRecord     = 0x80
	extraError     = 1
	extraState     = 2
	extraPanic     = 3
	extraAttr      = 4
	extraSite      = 5
	maxPendingRead = 1 << 16
)

// Kind is the type of an attribute value.
type Kind uint8

// Attribute kinds, as numbered in the format.
const (
	KindString  Kind = 1
	KindInt64   Kind = 2
	KindFloat64 Kind = 3
	KindBool    Kind = 4
	KindUint64  Kind = 5
)

// Span statuses, as numbered in the format.
const (
	StatusOK    = 0
	StatusError = 1
	StatusPanic = 2
)

// IsBinary reports whether a file starting with prefix is in the binary
// format (its first bytes are the chunk magic).
func IsBinary(prefix []byte) bool {
	return len(prefix) >= len(magic) && string(prefix[:len(magic)]) == magic
}
