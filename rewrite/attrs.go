package rewrite

import (
	"fmt"
	"go/token"
	"strings"
)

// An attrItem is one item of a span directive's attrs= list:
// [KEY=]PATH, [KEY=]len(PATH) or [KEY=]str(PATH), where PATH is a
// parameter, the receiver or a named result, then fields.
type attrItem struct {
	key  string   // the attribute key: KEY, or the item as written
	text string   // the item as written, without KEY=
	fn   string   // "", "len", "str" or "end" (rules only: the value at return)
	path []string // the root name, then field names
	off  int      // where the item starts in the attrs= list, in bytes
}

// parseAttrs parses the value of attrs=; it returns what is wrong with
// every bad item, or "".
func parseAttrs(list string) ([]attrItem, string) {
	var items []attrItem
	var problems []string
	keys := map[string]bool{}
	off := 0
	for _, raw := range strings.Split(list, ",") {
		it, msg := parseAttr(raw)
		it.off = off
		off += len(raw) + 1
		switch {
		case msg != "":
			problems = append(problems, msg)
		case keys[it.key]:
			problems = append(problems, fmt.Sprintf("attrs key %q twice", it.key))
		default:
			keys[it.key] = true
			items = append(items, it)
		}
	}
	if len(problems) > 0 {
		return nil, strings.Join(problems, "; ")
	}
	return items, ""
}

// parseAttr parses one item of attrs=.
func parseAttr(raw string) (attrItem, string) {
	it := attrItem{text: raw}
	if k, v, ok := strings.Cut(raw, "="); ok {
		if k == "" || strings.ContainsAny(k, "\"\\`()") {
			return it, fmt.Sprintf("attrs item %q: bad key %q", raw, k)
		}
		it.key, it.text = k, v
	}
	expr := it.text
	for _, fn := range []string{"len", "str", "end"} {
		if inner, ok := strings.CutPrefix(expr, fn+"("); ok && strings.HasSuffix(inner, ")") {
			it.fn, expr = fn, strings.TrimSuffix(inner, ")")
			break
		}
	}
	it.path = strings.Split(expr, ".")
	for i, id := range it.path {
		if i == 1 && it.fn == "end" && assertedType(id) != "" {
			continue // end(PARAM.(*T).FIELD…): rules only (see resolveAttr)
		}
		if !token.IsIdentifier(id) || id == "_" {
			return it, fmt.Sprintf("attrs item %q: want NAME, NAME.FIELD…, len(…) or str(…), optionally KEY=ITEM", raw)
		}
	}
	if it.key == "" {
		it.key = it.text
	}
	return it, ""
}

// assertedType is the type name T of a path element (*T) or (T), a type
// assertion; "" for any other element.
func assertedType(elem string) string {
	inner, ok := strings.CutPrefix(elem, "(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return ""
	}
	inner = strings.TrimPrefix(strings.TrimSuffix(inner, ")"), "*")
	if !token.IsIdentifier(inner) {
		return ""
	}
	return inner
}
