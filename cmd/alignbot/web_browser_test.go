package main

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// updateScreenshots copies the browser tests' screenshots into docs/,
// where the README shows them: go test ./cmd/alignbot -run TestWebBrowser -update-screenshots.
var updateScreenshots = flag.Bool("update-screenshots", false, "copy the web browser tests' screenshots into docs/")

// chromiumPath is Debian's chromium, which .ci/run installs;
// ALIGNBOT_TEST_CHROMIUM names another.
func chromiumPath() string {
	if p := os.Getenv("ALIGNBOT_TEST_CHROMIUM"); p != "" {
		return p
	}
	if p, err := exec.LookPath("/usr/bin/chromium"); err == nil {
		return p
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// newBrowser starts headless Chromium for t, quiet on a machine with no
// network, with a profile of its own. Without Chromium the test is
// skipped, unless ALIGNBOT_TEST_REQUIRE_BROWSER=1 (as in CI) fails it.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("ALIGNBOT_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatal("Chromium is required (ALIGNBOT_TEST_REQUIRE_BROWSER=1) but /usr/bin/chromium is missing: apt-get install chromium")
		}
		t.Skip("no Chromium at /usr/bin/chromium; apt-get install chromium to run the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 860),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser now, so a broken install fails here. The first
	// action must run on ctx itself: the browser lives as long as the
	// context it was started with.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return ctx
}

// browserStep runs steps with a deadline: every wait polls until it.
func browserStep(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// browserValue runs one action that returns a value, with a deadline.
func browserValue[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// waitText polls until the element sel's text holds want, through page
// loads (a poll inside the page dies with it when a form navigates).
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	expr := `!!(document.querySelector(` + jsString(sel) + `)||{}).innerText?.includes(` + jsString(want) + `)`
	deadline, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		try, tcancel := context.WithTimeout(deadline, 2*time.Second)
		ok, err := chromedp.Run(try, chromedp.Evaluate[bool](expr))
		tcancel()
		if err == nil && ok {
			return
		}
		select {
		case <-deadline.Done():
			t.Fatalf("waiting for %s to hold %q: %v (last error: %v)", sel, want, deadline.Err(), err)
		case <-tick.C:
		}
	}
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// bodyText is what the reader sees of the page.
func bodyText(t *testing.T, ctx context.Context) string {
	return browserValue(t, ctx, "read the page", chromedp.Evaluate[string](`document.body.innerText`))
}

// fetchText fetches url from the page, as its scripts would.
func fetchText(t *testing.T, ctx context.Context, url string) string {
	return browserValue(t, ctx, "fetch "+url, chromedp.Evaluate[string](`fetch(`+jsString(url)+`).then(r => r.text())`, chromedp.EvalAwaitPromise))
}

// screenshot saves the whole page as name.png under dir and, with
// -update-screenshots, as docs/<docsName>.png for the README (unless
// docsName is empty).
func screenshot(t *testing.T, ctx context.Context, dir, name, docsName string) {
	t.Helper()
	png := browserValue(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	if docsName != "" && *updateScreenshots {
		if err := os.WriteFile(filepath.Join("..", "..", "docs", docsName+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWebBrowser drives the decision log in headless Chromium, served by
// alignbot (the real wiring, decisions recorded through the fake Slack)
// and as the static export served by a plain file server: the timeline,
// a filter by area, a search, a decision, its supersede link and its
// history, and no private channel's decision anywhere.
func TestWebBrowser(t *testing.T) {
	h, base := startWebBot(t, "")
	ctx := newBrowser(t)
	shots := t.TempDir()

	t.Run("Served", func(t *testing.T) {
		browse(t, ctx, base+"/", false, shots)
	})
	t.Run("PhoneInTheDark", func(t *testing.T) {
		phoneDark(t, ctx, base+"/d/1", shots)
	})
	t.Run("Static", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "site")
		h.export("site", "--out", dir)
		srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
		t.Cleanup(srv.Close)
		browse(t, ctx, srv.URL+"/index.html", true, shots)
	})
}

// browse walks the site from its first page, home.
func browse(t *testing.T, ctx context.Context, home string, static bool, shots string) {
	suffix := "served"
	if static {
		suffix = "static"
	}
	noPrivate := func(where, text string) {
		t.Helper()
		for _, w := range privateWebWords {
			if strings.Contains(text, w) {
				t.Errorf("%s shows %q, of a private channel", where, w)
			}
		}
	}

	// The timeline: newest first, grouped by month, with how access works.
	browserStep(t, ctx, "open the timeline", chromedp.Navigate(home), chromedp.WaitVisible(chromedp.CSS("ol.decisions li")))
	text := bodyText(t, ctx)
	for _, want := range []string{"Move billing to Postgres 17", "Adopt weekly demos on Fridays", "Use Postgres for billing", "November 2026", "3 decisions"} {
		if !strings.Contains(text, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if strings.Index(text, "Move billing to Postgres 17") > strings.Index(text, "Use Postgres for billing") {
		t.Error("timeline is not newest first")
	}
	if !strings.Contains(text, "Only decisions from public Slack channels") {
		t.Error("the first page does not say who can read it")
	}
	noPrivate("timeline", text)
	screenshot(t, ctx, shots, "web-timeline-"+suffix, docsName(static, "web-timeline"))

	// Filter by area, with the keyboard: the choice lands in the URL.
	browserStep(t, ctx, "filter by area",
		chromedp.SetValue(chromedp.CSS("#area"), "infra"),
		chromedp.Focus(chromedp.CSS("form.filters button[type=submit]")),
		chromedp.KeyEvent("\r"),
	)
	waitText(t, ctx, "#results-title", "2 decisions")
	text = bodyText(t, ctx)
	if strings.Contains(text, "Adopt weekly demos") || !strings.Contains(text, "Use Postgres for billing") {
		t.Errorf("filtered by area infra:\n%s", text)
	}
	if loc := browserValue(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "area=infra") {
		t.Errorf("the filter is not in the URL: %s", loc)
	}
	noPrivate("area filter", text)

	// Search for a word: typed, then Enter (the export's search answers
	// as one types).
	browserStep(t, ctx, "search", chromedp.Navigate(home), chromedp.WaitVisible(chromedp.CSS("#q")))
	browserStep(t, ctx, "type a word", chromedp.SendKeys(chromedp.CSS("#q"), "replication\r"))
	waitText(t, ctx, "#results-title", "1 decision")
	waitText(t, ctx, "#results", "Move billing to Postgres 17")
	browserStep(t, ctx, "search a private word", chromedp.Navigate(home), chromedp.WaitVisible(chromedp.CSS("#q")),
		chromedp.SendKeys(chromedp.CSS("#q"), "enterprise\r"))
	waitText(t, ctx, "#results-title", "0 decisions")

	// Open a decision, follow its supersede link, read its history.
	browserStep(t, ctx, "search again", chromedp.Navigate(home), chromedp.WaitVisible(chromedp.CSS("ol.decisions li")))
	browserStep(t, ctx, "open D-4", chromedp.Click(chromedp.CSS(`a[href*="d/4"]`)), chromedp.WaitVisible(chromedp.CSS("h1#title")))
	waitText(t, ctx, "h1#title", "Move billing to Postgres 17")
	text = bodyText(t, ctx)
	for _, want := range []string{"Supersedes D-1", "infra", "#general", "Ann Lee", "History", "Version 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("D-4's page lacks %q", want)
		}
	}
	browserStep(t, ctx, "follow the supersede link", chromedp.Click(chromedp.CSS("#supersedes")), chromedp.WaitVisible(chromedp.CSS("#superseded-by")))
	waitText(t, ctx, "h1#title", "Use Postgres for billing")
	waitText(t, ctx, "#history", "Version 3")
	browserStep(t, ctx, "open version 2", chromedp.Click(chromedp.CSS("#history li:nth-child(2) summary")))
	waitText(t, ctx, "#history li:nth-child(2) details", "transactions we can trust")
	text = bodyText(t, ctx)
	for _, want := range []string{"Superseded by D-4", "Version 2 — edited: rationale, by Ann Lee", "Version 1 — recorded, by Ann Lee", "transactions we can trust"} {
		if !strings.Contains(text, want) {
			t.Errorf("D-1's page lacks %q", want)
		}
	}
	noPrivate("D-1's page", text)
	screenshot(t, ctx, shots, "web-decision-"+suffix, docsName(static, "web-decision"))

	// Nothing private in what the pages load: feeds, the API, the index.
	root := strings.TrimSuffix(home, "index.html")
	files := []string{root + "feed.atom", root + "feed/area/infra.atom", root + "feed/channel/C0GENERAL.atom"}
	if static {
		files = append(files, root+"search-index.json", root+"api/decisions.json")
	} else {
		files = append(files, root+"api/decisions", root+"?q=secret")
	}
	for _, f := range files {
		body := fetchText(t, ctx, f)
		if !strings.Contains(body, "Postgres") && !strings.Contains(f, "q=secret") {
			t.Errorf("%s holds no decision: %.200s", f, body)
		}
		noPrivate(f, body)
	}
	for _, n := range []string{"2", "5"} {
		path := root + "d/" + n
		if static {
			path += "/index.html"
		}
		status := browserValue(t, ctx, "fetch "+path, chromedp.Evaluate[int](`fetch(`+jsString(path)+`).then(r => r.status)`, chromedp.EvalAwaitPromise))
		if status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, status)
		}
	}
}

// docsName is the README's name for a screenshot of the served site; the
// export's look the same and are not copied.
func docsName(static bool, name string) string {
	if static {
		return ""
	}
	return name
}

// phoneDark reads page on a phone-sized screen with the system in dark
// mode: the dark theme applies and nothing is wider than the screen.
func phoneDark(t *testing.T, ctx context.Context, page, shots string) {
	dark := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, dark); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		chromedp.Do(ctx, chromedp.EmulateReset())
	})
	browserStep(t, ctx, "open a decision on a phone",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("h1#title")))
	if bg := browserValue(t, ctx, "background", chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`)); bg != "rgb(13, 17, 23)" {
		t.Errorf("background in dark mode is %s, want the dark theme's rgb(13, 17, 23)", bg)
	}
	if wide := browserValue(t, ctx, "width", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)); wide {
		t.Error("the page is wider than a phone's screen")
	}
	screenshot(t, ctx, shots, "web-decision-phone-dark", "")
}
