package tracefile

import (
	"encoding/hex"
	"math"
	"strconv"

	"github.com/autotrace/autotrace/internal/jsontext"
)

// AppendSpanJSON appends the JSON Lines view of sp (DESIGN §6), byte for
// byte what the runtime's JSON writer writes for the same span
// (runtime/encode.go; a test compares them).
func AppendSpanJSON(b []byte, sp *Span) []byte {
	b = append(b, `{"trace_id":"`...)
	b = hex.AppendEncode(b, sp.TraceID[:])
	b = append(b, `","span_id":"`...)
	b = hex.AppendEncode(b, sp.SpanID[:])
	b = append(b, `","parent_id":"`...)
	if sp.ParentID != [8]byte{} {
		b = hex.AppendEncode(b, sp.ParentID[:])
	}
	b = append(b, `","name":`...)
	b = appendString(b, sp.Name)
	b = append(b, `,"start_ns":`...)
	b = strconv.AppendInt(b, sp.StartNs, 10)
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, sp.DurNs, 10)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(sp.Pid), 10)
	b = append(b, `,"status":"`...)
	b = append(b, statusName(sp.Status)...)
	b = append(b, '"')
	if sp.Tracestate != "" {
		b = append(b, `,"tracestate":`...)
		b = appendString(b, sp.Tracestate)
	}
	if sp.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, sp.Error)
	}
	b = append(b, `,"attrs":`...)
	b = AppendAttrsJSON(b, sp)
	return append(b, "}\n"...)
}

// AppendAttrsJSON appends the "attrs" object of sp's JSON Lines view.
func AppendAttrsJSON(b []byte, sp *Span) []byte {
	b = append(b, `{"code.function.name":`...)
	b = appendString(b, sp.Function)
	b = append(b, `,"code.file.path":`...)
	b = appendString(b, sp.File)
	if sp.Line >= 0 {
		b = append(b, `,"code.line.number":`...)
		b = strconv.AppendInt(b, int64(sp.Line), 10)
	}
	if sp.HasPanic {
		b = appendStringAttr(b, "panic.value", sp.PanicValue)
		b = appendStringAttr(b, "panic.location", sp.PanicLocation)
		b = appendStringAttr(b, "panic.function", sp.PanicFunction)
	}
	for i := range sp.Attrs {
		b = appendAttr(b, &sp.Attrs[i])
	}
	return append(b, '}')
}

func appendStringAttr(b []byte, k, v string) []byte {
	b = append(b, ',')
	b = appendString(b, k)
	b = append(b, ':')
	return appendString(b, v)
}

// appendAttr appends ,"key":value with the value as its kind says.
func appendAttr(b []byte, a *Attr) []byte {
	b = append(b, ',')
	b = appendString(b, a.Key)
	b = append(b, ':')
	switch a.Kind {
	case KindInt64:
		return strconv.AppendInt(b, a.Int, 10)
	case KindUint64:
		return strconv.AppendUint(b, a.Uint, 10)
	case KindBool:
		return strconv.AppendBool(b, a.Bool)
	case KindFloat64:
		if math.IsNaN(a.Float) || math.IsInf(a.Float, 0) {
			return appendString(b, strconv.FormatFloat(a.Float, 'g', -1, 64))
		}
		return strconv.AppendFloat(b, a.Float, 'g', -1, 64)
	}
	return appendString(b, a.Str)
}

func statusName(s uint8) string {
	switch s {
	case StatusError:
		return "error"
	case StatusPanic:
		return "panic"
	}
	return "ok"
}

// AppendFoldJSON appends the JSON Lines view of the fold record sp
// (sp.Calls > 0), as the runtime's JSON writer writes it:
// {"fold":{"trace_id":…,"parent_id":…,"name":…,"start_ns":…,"dur_ns":…,
// "calls":…,"pid":…,"attrs":{…}}}.
func AppendFoldJSON(b []byte, sp *Span) []byte {
	b = append(b, `{"fold":{"trace_id":"`...)
	b = hex.AppendEncode(b, sp.TraceID[:])
	b = append(b, `","parent_id":"`...)
	b = hex.AppendEncode(b, sp.ParentID[:])
	b = append(b, `","name":`...)
	b = appendString(b, sp.Name)
	b = append(b, `,"start_ns":`...)
	b = strconv.AppendInt(b, sp.StartNs, 10)
	b = append(b, `,"dur_ns":`...)
	b = strconv.AppendInt(b, sp.DurNs, 10)
	b = append(b, `,"calls":`...)
	b = strconv.AppendUint(b, sp.Calls, 10)
	b = append(b, `,"pid":`...)
	b = strconv.AppendInt(b, int64(sp.Pid), 10)
	b = append(b, `,"attrs":{"code.function.name":`...)
	b = appendString(b, sp.Function)
	b = append(b, `,"code.file.path":`...)
	b = appendString(b, sp.File)
	if sp.Line >= 0 {
		b = append(b, `,"code.line.number":`...)
		b = strconv.AppendInt(b, int64(sp.Line), 10)
	}
	return append(b, "}}}\n"...)
}

// AppendCostJSON appends c as the line the runtime's JSON writer writes.
func AppendCostJSON(b []byte, c Cost) []byte {
	b = append(b, `{"cost":{"pid":`...)
	b = strconv.AppendInt(b, int64(c.Pid), 10)
	b = append(b, `,"inner_ns":`...)
	b = strconv.AppendInt(b, max(c.InnerNs, 0), 10)
	b = append(b, `,"outer_ns":`...)
	b = strconv.AppendInt(b, c.OuterNs, 10)
	if c.FoldOuterNs > 0 {
		b = append(b, `,"fold_inner_ns":`...)
		b = strconv.AppendInt(b, max(c.FoldInnerNs, 0), 10)
		b = append(b, `,"fold_outer_ns":`...)
		b = strconv.AppendInt(b, c.FoldOuterNs, 10)
		b = append(b, `,"fold_record_ns":`...)
		b = strconv.AppendInt(b, c.FoldRecordNs, 10)
	}
	if c.InnerNs < 0 { // the runtime's early_ns: how far below 0 inner_ns is
		b = append(b, `,"early_ns":`...)
		b = strconv.AppendInt(b, -c.InnerNs, 10)
	}
	if c.FoldInnerNs < 0 {
		b = append(b, `,"fold_early_ns":`...)
		b = strconv.AppendInt(b, -c.FoldInnerNs, 10)
	}
	return append(b, "}}\n"...)
}

// AppendProcessJSON appends the JSON Lines view of a process record.
func AppendProcessJSON(b []byte, p *Process) []byte {
	b = append(b, `{"process":{"pid":`...)
	b = strconv.AppendInt(b, int64(p.Pid), 10)
	b = append(b, `,"cmd":`...)
	b = appendString(b, p.Cmd)
	b = append(b, `,"start_ns":`...)
	b = strconv.AppendInt(b, p.StartNs, 10)
	b = append(b, `,"spans":`...)
	b = strconv.AppendUint(b, p.Spans, 10)
	b = append(b, `,"dropped":`...)
	b = strconv.AppendUint(b, p.Dropped, 10)
	b = append(b, `,"pending":[`...)
	for i, n := range p.Pending {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, n)
	}
	b = append(b, `],"pending_count":`...)
	b = strconv.AppendUint(b, p.PendingCount, 10)
	if p.WriteErrors > 0 {
		b = append(b, `,"write_errors":`...)
		b = strconv.AppendUint(b, p.WriteErrors, 10)
	}
	if p.Untracked > 0 {
		b = append(b, `,"untracked":`...)
		b = strconv.AppendUint(b, p.Untracked, 10)
	}
	return append(b, "}}\n"...)
}

// appendString appends s as a JSON string (see jsontext).
func appendString(b []byte, s string) []byte { return jsontext.AppendString(b, s) }
