//go:build pprof

package main

import (
	"net/http"
	"net/http/pprof"
	"time"
)

// This file is compiled only with -tags pprof, for the load tool
// (bench/load -pprof): it adds Go's profiler to the ops listener
// (ALIGNBOT_OPS_ADDR) so the real binary can be profiled under load.
// Release builds never carry it: a profiler endpoint would reveal the
// heap, and with it tokens.

// debugRoutes adds /debug/pprof/ to the ops mux and returns the write
// timeout its server needs: a CPU profile answers only after the seconds
// it was asked to record. /debug/pprof/cmdline is left out: it would
// show a token passed as a flag.
func debugRoutes(mux *http.ServeMux) time.Duration {
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return 2 * time.Minute
}
