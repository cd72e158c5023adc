//go:build pprof

package main

import (
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux
	"os"
)

// This file is compiled only with -tags pprof, for the load tool
// (bench/load -pprof): it serves Go's profiler on ALIGNBOT_PPROF_ADDR so
// the real binary can be profiled under load. Release builds never carry
// it: a profiler endpoint would reveal the heap, and with it tokens.
func init() {
	addr := os.Getenv("ALIGNBOT_PPROF_ADDR")
	if addr == "" {
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "alignbot: pprof: cannot listen on %s: %v\n", addr, err)
		os.Exit(1)
	}
	go http.Serve(ln, http.DefaultServeMux)
}
