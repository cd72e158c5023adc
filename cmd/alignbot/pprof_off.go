//go:build !pprof

package main

import (
	"net/http"
	"time"
)

// debugRoutes adds nothing: release builds carry no profiler (see
// pprof.go, built with -tags pprof).
func debugRoutes(*http.ServeMux) time.Duration { return 0 }
