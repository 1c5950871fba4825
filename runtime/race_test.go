//go:build race

package autotrace

const raceEnabled = true
