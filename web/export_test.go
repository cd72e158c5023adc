package web_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/web"
)

// privateWords are in the seed's private decisions only.
var privateWords = []string{"Secret", "reorg", "freeze", "Hush", "Nobody may know", "GSECRET"}

func TestExport(t *testing.T) {
	ctx := context.Background()
	site := newSite(t, "")
	dir := filepath.Join(t.TempDir(), "site")
	n, err := site.Export(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n, 3; got != want {
		t.Fatalf("exported %d decisions, want %d", got, want)
	}
	for _, f := range []string{"index.html", "search/index.html", "search-index.json", "search.js", "style.css",
		"d/1/index.html", "d/3/index.html", "d/4/index.html", "feed.atom", "feed/area/infra.atom",
		"feed/channel/CGEN.atom", "feed/channel/CRAND.atom", "api/decisions.json", "api/decisions/4.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("export lacks %s: %v", f, err)
		}
	}
	for _, f := range []string{"d/2", "d/5", "d/6", "api/decisions/2.json", "feed/channel/GSECRET.atom"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("export holds %s, of a private channel", f)
		}
	}
	t.Run("NoPrivateWordAnywhere", func(t *testing.T) {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			body, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, w := range privateWords {
				if strings.Contains(string(body), w) {
					t.Errorf("%s holds %q", path, w)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("RelativeLinks", func(t *testing.T) {
		body, _ := os.ReadFile(filepath.Join(dir, "d/4/index.html"))
		for _, want := range []string{`href="../../style.css"`, `id="supersedes" href="../../d/1/index.html"`, `href="../../index.html"`} {
			if !strings.Contains(string(body), want) {
				t.Errorf("d/4/index.html lacks %s", want)
			}
		}
	})
	t.Run("SearchIndex", func(t *testing.T) {
		var index []struct {
			N     int64  `json:"n"`
			URL   string `json:"url"`
			Title string `json:"title"`
			Body  string `json:"body"`
		}
		body, _ := os.ReadFile(filepath.Join(dir, "search-index.json"))
		if err := json.Unmarshal(body, &index); err != nil {
			t.Fatal(err)
		}
		if len(index) != 3 || index[0].N != 4 || index[0].URL != "d/4/index.html" || !strings.Contains(index[0].Body, "Logical replication.") {
			t.Fatalf("index %+v", index)
		}
	})
	t.Run("AgainReplacesTheCopy", func(t *testing.T) {
		stale := filepath.Join(dir, "d", "2", "index.html")
		os.MkdirAll(filepath.Dir(stale), 0o755)
		os.WriteFile(stale, []byte("a decision that went private"), 0o644)
		if _, err := site.Export(ctx, dir); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(stale); err == nil {
			t.Fatal("a file of an earlier export outlived the new one")
		}
	})
	t.Run("ErrFolderHoldsSomethingElse", func(t *testing.T) {
		other := t.TempDir()
		os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
		_, err := (&web.Site{Store: site.Store, Team: "T1"}).Export(ctx, other)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("err=%v, want a refusal to write over another folder", err)
		}
	})
}

func TestExportWithBaseURL(t *testing.T) {
	site := newSite(t, "")
	site.BaseURL = "https://decisions.example.com"
	dir := t.TempDir()
	if _, err := site.Export(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"feed.atom":            `href="https://decisions.example.com/d/4/index.html"`,
		"api/decisions.json":   `"url": "https://decisions.example.com/d/4/index.html"`,
		"api/decisions/4.json": `"url": "https://decisions.example.com/d/4/index.html"`,
		"feed/area/infra.atom": `href="https://decisions.example.com/feed/area/infra.atom"`,
		"d/4/index.html":       `href="../../d/1/index.html"`, // pages stay relative
	} {
		body, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), want) {
			t.Errorf("%s lacks %s", file, want)
		}
	}
}
