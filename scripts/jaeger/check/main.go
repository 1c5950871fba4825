// Command check is scripts/jaeger.sh's helper: it prints free loopback
// ports, and it compares a recorded autotrace trace file with what a
// Jaeger query service holds for a service name: every span present with
// its trace and span ids, parent link, timing, status (error tag and
// status description), attributes and panic events.
//
//	check ports N
//	check compare -query URL -service NAME -file TRACE.jsonl [-wait 30s]
//	check count -query URL -service NAME -want N [-wait 30s]
//
// compare prints one line per check ("ok ..." or "FAIL ...") and exits 1
// when one fails.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "ports":
		n, err := strconv.Atoi(argOr(2, "1"))
		if err != nil {
			usage()
		}
		ports(n)
	case "compare":
		os.Exit(compare(os.Args[2:]))
	case "count":
		os.Exit(count(os.Args[2:]))
	default:
		usage()
	}
}

func argOr(i int, def string) string {
	if len(os.Args) > i {
		return os.Args[i]
	}
	return def
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: check ports N | check compare -query URL -service NAME -file TRACE | check count -query URL -service NAME -want N")
	os.Exit(2)
}

// ports prints n distinct free TCP ports on 127.0.0.1, held open until
// all are chosen.
func ports(n int) {
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ls = append(ls, l)
		fmt.Println(l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
}

// common flags of compare and count.
func queryFlags(name string, args []string, extra func(*flag.FlagSet)) (query, service string, fs *flag.FlagSet) {
	fs = flag.NewFlagSet(name, flag.ExitOnError)
	q := fs.String("query", "", "Jaeger query base URL")
	s := fs.String("service", "", "service name")
	extra(fs)
	fs.Parse(args)
	if *q == "" || *s == "" {
		usage()
	}
	return *q, *s, fs
}
