package rewrite

import (
	"fmt"
	"go/ast"
	"go/types"
	"strconv"
	"strings"
)

// Signatures returns the type checker's signature of every function of f,
// in the order of functions(f); nil for one it did not see. Gen needs them
// only for span directives with attrs=.
func Signatures(f *ast.File, info *types.Info) []*types.Signature {
	return signatures(newUnit(f).fns, info)
}

// signatures is Signatures of the functions fns of a file.
func signatures(fns []*function, info *types.Info) []*types.Signature {
	out := make([]*types.Signature, len(fns))
	for i, fn := range fns {
		if fn.decl != nil {
			if obj, ok := info.Defs[fn.decl.Name].(*types.Func); ok {
				out[i], _ = obj.Type().(*types.Signature)
			}
		} else if tv, ok := info.Types[fn.lit]; ok {
			out[i], _ = tv.Type.(*types.Signature)
		}
	}
	return out
}

// attrCode is the generated code that records one attrs= item.
type attrCode struct {
	// assert declares __v and __ok for the conditions: a type assertion
	// on the way (rules' end(…) only), or "".
	assert string
	atEnd  bool     // a named result: recorded at return
	conds  []string // nil checks on the way, outermost first
	call   string   // the setter call, e.g. __span.SetInt("n", int64(n))
}

// Why an item cannot be recorded.
const wantTypes = "bool, a number, string, time.Duration, time.Time, error, or str(…) of a fmt.Stringer"

// resolveAttrs types every item of a directive against the function's
// signature and returns the code recording each, or what is wrong with the
// first item that cannot be recorded.
func resolveAttrs(fnName, alias, span string, sig *types.Signature, items []attrItem) ([]attrCode, []attrProblem) {
	var out []attrCode
	var problems []attrProblem
	for _, it := range items {
		c, msg := resolveAttr(fnName, alias, span, sig, it)
		if msg != "" {
			problems = append(problems, attrProblem{it, fmt.Sprintf("attrs item %s: %s", it.text, msg)})
			continue
		}
		out = append(out, c)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
}

// An attrProblem is what is wrong with one attrs= item.
type attrProblem struct {
	item attrItem
	msg  string
}

func resolveAttr(fnName, alias, span string, sig *types.Signature, it attrItem) (attrCode, string) {
	var c attrCode
	root := lookupVar(sig, it.path[0])
	if root == nil {
		if v := lookupResult(sig, it.path[0]); v != nil {
			return resolveResult(alias, span, v, it)
		}
		return c, fmt.Sprintf("%s has no parameter, receiver or named result %s", fnName, it.path[0])
	}
	pkg := root.Pkg()
	qual := types.RelativeTo(pkg)
	expr, t := it.path[0], root.Type()
	checked := map[string]bool{}
	deref := func(e string, t types.Type) (types.Type, bool) {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return t, false
		}
		if !checked[e] {
			checked[e] = true
			c.conds = append(c.conds, e+" != nil")
		}
		return p.Elem(), true
	}
	for i, name := range it.path[1:] {
		if tn := assertedType(name); tn != "" && i == 0 {
			// end(rw.(*response).status): the value behind an interface,
			// for rules on code whose types are known (net/http's own
			// ResponseWriter). The assertion is checked, never a panic.
			iface, ok := t.Underlying().(*types.Interface)
			obj, _ := pkg.Scope().Lookup(tn).(*types.TypeName)
			if !ok || obj == nil {
				return c, fmt.Sprintf("%s: want an interface and a type of package %s", name, pkg.Name())
			}
			var at types.Type = obj.Type()
			if strings.HasPrefix(name, "(*") {
				at = types.NewPointer(at)
			}
			if !types.AssertableTo(iface, at) {
				return c, fmt.Sprintf("%s (%s) can never hold %s", expr, types.TypeString(t, qual), types.TypeString(at, qual))
			}
			c.assert = fmt.Sprintf("__v, __ok := %s.%s", expr, name)
			c.conds = append(c.conds, "__ok")
			expr, t = "__v", at
			continue
		}
		obj, index, _ := types.LookupFieldOrMethod(t, true, pkg, name)
		fld, ok := obj.(*types.Var)
		if !ok || !fld.IsField() {
			return c, fmt.Sprintf("%s (%s) has no field %s", expr, types.TypeString(t, qual), name)
		}
		for _, i := range index {
			t, _ = deref(expr, t)
			st, ok := t.Underlying().(*types.Struct)
			if !ok {
				return c, fmt.Sprintf("%s (%s) has no field %s", expr, types.TypeString(t, qual), name)
			}
			f := st.Field(i)
			if !f.Exported() && f.Pkg() != pkg {
				return c, fmt.Sprintf("the path goes through the unexported field %s of %s", f.Name(), types.TypeString(t, qual))
			}
			expr, t = expr+"."+f.Name(), f.Type()
		}
	}
	key := strconv.Quote(it.key)
	switch it.fn {
	case "end":
		// The value at return, read through the address taken at the
		// start: a field the function's callees set (a request's
		// Pattern, which the ServeMux sets).
		if len(it.path) < 2 {
			return c, "end(…) records a field of a parameter or the receiver at return; a parameter itself is recorded at the start"
		}
		setter, _ := recordAs(t)
		fn := resultRecorders[setter]
		if _, ptr := t.Underlying().(*types.Pointer); ptr || fn == "" || fn == "RecordError" {
			return c, fmt.Sprintf("%s has type %s, which end(…) cannot record (want bool, a number, string, time.Duration or time.Time)", expr, types.TypeString(t, qual))
		}
		c.atEnd = true
		c.call = fmt.Sprintf("%s.%s(%s, %s, &%s)", alias, fn, span, key, expr)
		return c, ""
	case "len":
		ok := false
		switch u := t.Underlying().(type) {
		case *types.Slice, *types.Map, *types.Chan, *types.Array:
			ok = true
		case *types.Basic:
			ok = u.Info()&types.IsString != 0
		}
		if !ok {
			return c, fmt.Sprintf("len of %s (%s): want a string, slice, map, channel or array", expr, types.TypeString(t, qual))
		}
		c.call = fmt.Sprintf("%s.SetInt(%s, int64(len(%s)))", span, key, expr)
		return c, ""
	case "str":
		if !types.Implements(t, stringerType) {
			return c, fmt.Sprintf("%s (%s) is not a fmt.Stringer", expr, types.TypeString(t, qual))
		}
		if nilable(t) {
			c.conds = append(c.conds, expr+" != nil")
		}
		c.call = fmt.Sprintf("%s.SetStringer(%s, %s)", span, key, expr)
		return c, ""
	}
	setter, conv := recordAs(t)
	if setter == "" {
		if elem, ok := t.Underlying().(*types.Pointer); ok {
			if s, cv := recordAs(elem.Elem()); s != "" && s != "SetErrorText" {
				deref(expr, t)
				setter, conv, expr = s, cv, "*"+expr
			}
		}
	}
	if setter == "" {
		return c, fmt.Sprintf("%s has type %s, which autotrace cannot record (want %s)", expr, types.TypeString(t, qual), wantTypes)
	}
	if setter == "SetErrorText" && nilable(t) && !types.IsInterface(t) {
		c.conds = append(c.conds, expr+" != nil") // boxed in an error, a nil pointer is not nil
	}
	if conv != "" {
		expr = conv + "(" + expr + ")"
	}
	c.call = fmt.Sprintf("%s.%s(%s, %s)", span, setter, key, expr)
	return c, ""
}

// resolveResult returns the deferred call that records the named result v
// at return: a Record function of the runtime, given its address.
func resolveResult(alias, span string, v *types.Var, it attrItem) (attrCode, string) {
	t, qual := v.Type(), types.RelativeTo(v.Pkg())
	if it.fn == "end" && len(it.path) == 2 {
		return resolveResultField(alias, span, v, it)
	}
	if len(it.path) > 1 {
		return attrCode{}, fmt.Sprintf("a named result is recorded whole, or as len(%s) or str(%s), not by its fields (rules: end(%s.FIELD) of a pointer to a struct)", v.Name(), v.Name(), v.Name())
	}
	var fn string
	switch it.fn {
	case "len":
		switch u := t.Underlying().(type) {
		case *types.Slice:
			fn = "RecordLen"
		case *types.Map:
			fn = "RecordLenMap"
		case *types.Basic:
			if u.Info()&types.IsString != 0 {
				fn = "RecordLenString"
			}
		}
		if fn == "" {
			return attrCode{}, fmt.Sprintf("len of the result %s (%s): want a string, slice or map", v.Name(), types.TypeString(t, qual))
		}
	case "str":
		if !types.Implements(t, stringerType) {
			return attrCode{}, fmt.Sprintf("%s (%s) is not a fmt.Stringer", v.Name(), types.TypeString(t, qual))
		}
		fn = "RecordStringer"
	default:
		setter, _ := recordAs(t)
		fn = resultRecorders[setter]
		if _, ptr := t.Underlying().(*types.Pointer); ptr && fn == "RecordError" {
			fn = "RecordErrorPtr" // a nil pointer boxed in an error is not nil
		}
		if fn == "" {
			return attrCode{}, fmt.Sprintf("the result %s has type %s, which autotrace cannot record (want %s)", v.Name(), types.TypeString(t, qual), wantTypes)
		}
	}
	return attrCode{atEnd: true, call: fmt.Sprintf("%s.%s(%s, %s, &%s)", alias, fn, span, strconv.Quote(it.key), v.Name())}, ""
}

// resultRecorders maps a setter to the Record function that does its work
// for a result.
var resultRecorders = map[string]string{
	"SetInt": "RecordInt", "SetUint": "RecordUint", "SetFloat": "RecordFloat", "SetBool": "RecordBool",
	"SetString": "RecordString", "SetDuration": "RecordInt", "SetTime": "RecordTime", "SetErrorText": "RecordError",
}

// lookupVar finds the receiver or a parameter named name.
func lookupVar(sig *types.Signature, name string) *types.Var {
	if r := sig.Recv(); r != nil && r.Name() == name {
		return r
	}
	for v := range sig.Params().Variables() {
		if v.Name() == name {
			return v
		}
	}
	return nil
}

// lookupResult finds the result named name.
func lookupResult(sig *types.Signature, name string) *types.Var {
	for v := range sig.Results().Variables() {
		if v.Name() == name {
			return v
		}
	}
	return nil
}

var (
	errorType    = types.Universe.Lookup("error").Type()
	stringerType = types.NewInterfaceType([]*types.Func{
		types.NewFunc(0, nil, "String", types.NewSignatureType(nil, nil, nil, nil,
			types.NewTuple(types.NewParam(0, nil, "", types.Typ[types.String])), false)),
	}, nil).Complete()
)

// recordAs returns the setter that records a value of type t and the
// conversion its argument needs ("" when none), or "" when no setter can.
func recordAs(t types.Type) (setter, conv string) {
	switch {
	case isNamed(t, "time", "Duration"):
		return "SetDuration", ""
	case isNamed(t, "time", "Time"):
		return "SetTime", ""
	}
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		return typeParamSetter(tp)
	}
	if b, ok := t.Underlying().(*types.Basic); ok {
		setter, target := basicSetter(b)
		if setter != "" && !types.Identical(t, target) {
			conv = target.Name()
		}
		if setter != "" {
			return setter, conv
		}
	}
	if types.Implements(t, errorType.Underlying().(*types.Interface)) {
		return "SetErrorText", ""
	}
	return "", ""
}

// basicSetter returns the setter for a basic type and the type its
// argument has.
func basicSetter(b *types.Basic) (string, *types.Basic) {
	info := b.Info()
	switch {
	case info&types.IsBoolean != 0:
		return "SetBool", types.Typ[types.Bool]
	case info&types.IsInteger != 0 && info&types.IsUnsigned != 0:
		return "SetUint", types.Typ[types.Uint64]
	case info&types.IsInteger != 0:
		return "SetInt", types.Typ[types.Int64]
	case info&types.IsFloat != 0:
		return "SetFloat", types.Typ[types.Float64]
	case info&types.IsString != 0:
		return "SetString", types.Typ[types.String]
	}
	return "", nil
}

// typeParamSetter records a type parameter whose constraint's terms all
// take the same setter (~int | ~int64, say), converting; else "".
func typeParamSetter(tp *types.TypeParam) (string, string) {
	iface, ok := tp.Constraint().Underlying().(*types.Interface)
	if !ok {
		return "", ""
	}
	var terms []types.Type
	for i := range iface.NumEmbeddeds() {
		switch e := iface.EmbeddedType(i).(type) {
		case *types.Union:
			for j := range e.Len() {
				terms = append(terms, e.Term(j).Type())
			}
		case *types.Interface:
			return "", "" // nested constraints: not worth the guess
		default:
			terms = append(terms, e)
		}
	}
	setter, conv := "", ""
	for _, term := range terms {
		b, ok := term.Underlying().(*types.Basic)
		if !ok {
			return "", ""
		}
		s, target := basicSetter(b)
		if s == "" || (setter != "" && s != setter) {
			return "", ""
		}
		setter, conv = s, target.Name()
	}
	if setter == "" && types.Implements(tp, errorType.Underlying().(*types.Interface)) {
		return "SetErrorText", ""
	}
	return setter, conv
}

// nilable reports whether a value of type t can be nil and should be
// checked before a method is called on it: a pointer, or an interface
// that is not a type parameter.
func nilable(t types.Type) bool {
	if _, tp := types.Unalias(t).(*types.TypeParam); tp {
		return false
	}
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return true
	}
	return false
}

// resolveResultField returns the deferred call that records a field of
// the named result v, a pointer to a struct, at return (rules'
// end(resp.StatusCode)): the runtime's RecordField, which finds the field
// by name, since the result is nil when the call is deferred.
func resolveResultField(alias, span string, v *types.Var, it attrItem) (attrCode, string) {
	t, qual := v.Type(), types.RelativeTo(v.Pkg())
	name := it.path[1]
	ptr, ok := t.Underlying().(*types.Pointer)
	var st *types.Struct
	if ok {
		st, ok = ptr.Elem().Underlying().(*types.Struct)
	}
	if !ok {
		return attrCode{}, fmt.Sprintf("end(%s.%s): the result %s has type %s; want a pointer to a struct", v.Name(), name, v.Name(), types.TypeString(t, qual))
	}
	for i := range st.NumFields() {
		f := st.Field(i)
		if f.Name() != name {
			continue
		}
		if !f.Exported() && f.Pkg() != v.Pkg() {
			return attrCode{}, fmt.Sprintf("the path goes through the unexported field %s of %s", name, types.TypeString(ptr.Elem(), qual))
		}
		b, ok := f.Type().Underlying().(*types.Basic)
		if !ok || b.Info()&(types.IsBoolean|types.IsInteger|types.IsFloat|types.IsString) == 0 {
			return attrCode{}, fmt.Sprintf("%s.%s has type %s, which end(…) of a result cannot record (want bool, a number or string)", v.Name(), name, types.TypeString(f.Type(), qual))
		}
		return attrCode{atEnd: true, call: fmt.Sprintf("%s.RecordField(%s, %s, &%s, %s)", alias, span, strconv.Quote(it.key), v.Name(), strconv.Quote(name))}, ""
	}
	return attrCode{}, fmt.Sprintf("%s (%s) has no field %s", v.Name(), types.TypeString(t, qual), name)
}
