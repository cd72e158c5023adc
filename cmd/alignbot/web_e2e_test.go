package main

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fetch GETs url (or sends method) with an optional bearer token and
// returns the status and body.
func fetch(t *testing.T, method, url, bearer string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestWebSiteServesTheLog drives the real wiring: decisions recorded with
// /decide through the fake Slack show on the site ALIGNBOT_WEB_ADDR
// serves, public channels only, and the cards link to it.
func TestWebSiteServesTheLog(t *testing.T) {
	h, base := startWebBot(t, "")

	status, body := fetch(t, "GET", base+"/", "")
	if status != http.StatusOK {
		t.Fatalf("timeline: status %d", status)
	}
	for _, want := range []string{"Move billing to Postgres 17", "Use Postgres for billing", "Adopt weekly demos on Fridays", "3 decisions", "#general", "Ann Lee"} {
		if !strings.Contains(body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	for _, path := range []string{"/", "/?area=infra", "/?q=secret", "/?q=plan", "/api/decisions", "/feed.atom", "/feed/area/infra.atom", "/d/1", "/d/4"} {
		_, body := fetch(t, "GET", base+path, "")
		for _, w := range privateWebWords {
			if strings.Contains(body, w) {
				t.Errorf("%s shows %q, of a private channel", path, w)
			}
		}
	}
	t.Run("DecisionPage", func(t *testing.T) {
		status, body := fetch(t, "GET", base+"/d/1", "")
		if status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{"transactions we can trust", `href="/d/4"`, "Version 3", "Version 2", "Version 1", "superseded", "infra"} {
			if !strings.Contains(body, want) {
				t.Errorf("D-1's page lacks %q", want)
			}
		}
	})
	t.Run("ErrPrivateIs404", func(t *testing.T) {
		for _, path := range []string{"/d/2", "/d/5", "/api/decisions/2"} {
			if status, _ := fetch(t, "GET", base+path, ""); status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, status)
			}
		}
	})
	t.Run("ErrWriteIs405", func(t *testing.T) {
		if status, _ := fetch(t, "POST", base+"/d/1", ""); status != http.StatusMethodNotAllowed {
			t.Fatalf("POST: status %d, want 405", status)
		}
	})
	t.Run("API", func(t *testing.T) {
		_, body := fetch(t, "GET", base+"/api/decisions?area=infra", "")
		var list struct {
			Total     int
			Decisions []struct{ ID string }
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatal(err)
		}
		if list.Total != 2 || list.Decisions[0].ID != "D-4" || list.Decisions[1].ID != "D-1" {
			t.Fatalf("infra decisions %+v", list)
		}
	})
	t.Run("CardLinksToTheLog", func(t *testing.T) {
		h.waitFor("D-4's card to link to the log", func() bool {
			for _, m := range h.botMessages(general) {
				if strings.Contains(messageText(m), "<"+webCardURL+"d/4|Open in the log>") {
					return true
				}
			}
			return false
		})
		for _, m := range h.botMessages(secret) {
			if strings.Contains(messageText(m), "Open in the log") {
				t.Fatalf("a private channel's card links to the log:\n%s", messageText(m))
			}
		}
	})
	t.Run("ExportSite", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "site")
		if out := h.export("site", "--out", dir); !strings.Contains(out, "3 public decisions") {
			t.Fatalf("export said %q", out)
		}
		for _, f := range []string{"index.html", "d/1/index.html", "d/4/index.html", "search-index.json", "feed.atom", "api/decisions.json"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("export lacks %s", f)
			}
		}
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := os.ReadFile(path)
			for _, w := range privateWebWords {
				if strings.Contains(string(b), w) {
					t.Errorf("%s holds %q, of a private channel", path, w)
				}
			}
			return nil
		})
	})
}

// TestWebSiteToken closes the served site with ALIGNBOT_WEB_TOKEN: without
// it nothing is shown, with it as a bearer everything is, and the token
// is in no log line.
func TestWebSiteToken(t *testing.T) {
	const token = "web-" + marker
	h, base := startWebBot(t, token)
	if status, body := fetch(t, "GET", base+"/", ""); status != http.StatusUnauthorized || strings.Contains(body, "Postgres") {
		t.Fatalf("without the token: status %d", status)
	}
	if status, body := fetch(t, "GET", base+"/?token=wrong", ""); status != http.StatusUnauthorized || strings.Contains(body, token) {
		t.Fatalf("with a wrong token: status %d", status)
	}
	if status, body := fetch(t, "GET", base+"/d/4", token); status != http.StatusOK || !strings.Contains(body, "Postgres 17") {
		t.Fatalf("with the token: status %d", status)
	}
	if strings.Contains(h.logs.String(), marker) {
		t.Fatal("the web token is in the logs")
	}
}
