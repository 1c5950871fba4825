// Package bench compares the cost of autotrace spans with OpenTelemetry's
// (DESIGN §7, R1–R3). It is its own module so that the main module, and
// the runtime above all, never depend on OpenTelemetry. Run it with
// scripts/bench.sh, which prints the ratios.
package bench
