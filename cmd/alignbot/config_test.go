package main

import (
	"io"
	"strings"
	"testing"
)

func TestOpsAddr(t *testing.T) {
	for _, tc := range []struct {
		name           string
		env            map[string]string
		args           []string
		http, ops, err string
	}{
		{name: "SocketServesOpsOnHTTPAddr", http: "127.0.0.1:8080", ops: "127.0.0.1:8080"},
		{name: "SocketFollowsHTTPAddr", env: map[string]string{"ALIGNBOT_HTTP_ADDR": "0.0.0.0:8081"}, http: "0.0.0.0:8081", ops: "0.0.0.0:8081"},
		{name: "SocketOpsOff", env: map[string]string{"ALIGNBOT_HTTP_ADDR": ""}, http: "", ops: ""},
		{name: "SocketOpsAddrWins", env: map[string]string{"ALIGNBOT_OPS_ADDR": "127.0.0.1:9999"}, http: "127.0.0.1:8080", ops: "127.0.0.1:9999"},
		{name: "SocketOpsAddrEmptyTurnsThemOff", env: map[string]string{"ALIGNBOT_OPS_ADDR": ""}, http: "127.0.0.1:8080", ops: ""},
		{name: "HTTPModeKeepsOpsApart", env: map[string]string{"ALIGNBOT_MODE": "http"}, http: "127.0.0.1:8080", ops: "127.0.0.1:9090"},
		{name: "HTTPModeOpsOff", env: map[string]string{"ALIGNBOT_MODE": "http", "ALIGNBOT_OPS_ADDR": ""}, http: "127.0.0.1:8080", ops: ""},
		{name: "HTTPModeOpsFlag", env: map[string]string{"ALIGNBOT_MODE": "http", "ALIGNBOT_OPS_ADDR": "10.0.0.5:9090"}, args: []string{"--ops-addr", "10.0.0.6:9090"}, http: "127.0.0.1:8080", ops: "10.0.0.6:9090"},
		{name: "ErrHTTPModeOpsOnPublicListener", env: map[string]string{"ALIGNBOT_MODE": "http", "ALIGNBOT_HTTP_ADDR": "0.0.0.0:8080", "ALIGNBOT_OPS_ADDR": "0.0.0.0:8080"},
			http: "0.0.0.0:8080", ops: "0.0.0.0:8080", err: "ALIGNBOT_OPS_ADDR is ALIGNBOT_HTTP_ADDR (0.0.0.0:8080): in http mode /healthz, /readyz and /metrics stay off the public listener"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"}
			for k, v := range tc.env {
				env[k] = v
			}
			cfg, _, err := parseConfig("run", tc.args, envOf(env), io.Discard, nil)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.HTTPAddr != tc.http || cfg.OpsAddr != tc.ops {
				t.Fatalf("http %q ops %q, want %q and %q", cfg.HTTPAddr, cfg.OpsAddr, tc.http, tc.ops)
			}
			switch err := cfg.validateRun(); {
			case err == nil && tc.err != "":
				t.Fatalf("validateRun passed, want %q", tc.err)
			case err != nil && (tc.err == "" || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("validateRun: %v, want %q", err, tc.err)
			}
		})
	}
}
