package autotrace

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// foldRule is when a site folds (fold.go), from AUTOTRACE_FOLD:
//
//	AUTOTRACE_FOLD=off                             no folding
//	AUTOTRACE_FOLD=after=1000,p90=4,slow=8,time=8  the default (so is unset, or "on")
//
// after: spans of a site written in full before it may fold; p90: it
// folds when nine in ten of them took less than p90 times what recording
// a span costs (the calibrated outer cost); slow: a timed folded call
// longer than slow times that limit is still written in full; time: one
// folded call in time (a power of two, at most 1024) reads the clock, the
// others are only counted. Fields left out keep their default.
type foldRule struct {
	off   bool
	after uint32
	p90   float64
	slow  float64
	time  uint32
}

var defaultFoldRule = foldRule{after: 1000, p90: 4, slow: 8, time: 8}

// parseFoldRule parses an AUTOTRACE_FOLD value.
func parseFoldRule(v string) (foldRule, error) {
	r := defaultFoldRule
	v = strings.TrimSpace(v)
	switch v {
	case "", "on":
		return r, nil
	case "off", "0", "false":
		r.off = true
		return r, nil
	}
	for _, f := range strings.Split(v, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(f), "=")
		if !ok {
			return r, fmt.Errorf("%q: want NAME=VALUE", f)
		}
		x, err := strconv.ParseFloat(val, 64)
		if err != nil || x <= 0 {
			return r, fmt.Errorf("%s=%q: want a positive number", name, val)
		}
		switch name {
		case "after":
			if x != float64(uint32(x)) {
				return r, fmt.Errorf("after=%q: want a whole number of spans", val)
			}
			r.after = uint32(x)
		case "p90":
			r.p90 = x
		case "slow":
			r.slow = x
		case "time":
			if x != float64(uint32(x)) || x > 1024 || uint32(x)&(uint32(x)-1) != 0 {
				return r, fmt.Errorf("time=%q: want a power of two from 1 to 1024", val)
			}
			r.time = uint32(x)
		default:
			return r, fmt.Errorf("unknown field %q: want after, p90, slow or time", name)
		}
	}
	return r, nil
}

// foldRuleEnv returns the rule AUTOTRACE_FOLD sets, warning about (and
// ignoring) a malformed one.
func foldRuleEnv() foldRule {
	r, err := parseFoldRule(os.Getenv("AUTOTRACE_FOLD"))
	if err != nil {
		warnf("ignoring AUTOTRACE_FOLD: %v (want off, or after=N,p90=X,slow=Y,time=K)", err)
		return defaultFoldRule
	}
	return r
}
