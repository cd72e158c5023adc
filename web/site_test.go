package web_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
	"github.com/alignbot/alignbot/web"
)

// get serves one GET of path through the site's handler.
func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestTimeline(t *testing.T) {
	h := newSite(t, "").Handler()
	w := get(t, h, "/")
	if got, want := w.Code, http.StatusOK; got != want {
		t.Fatalf("status=%v, want %v: %s", got, want, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{"Move billing to Postgres 17", "Adopt weekly demos", "Use Postgres for billing",
		"November 2026", "October 2026", "September 2026", "3 decisions", "<main", `<label for="area">`, "SSO proxy"} {
		if !strings.Contains(body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	// Newest first, grouped by month.
	if i, j := strings.Index(body, "November 2026"), strings.Index(body, "September 2026"); i < 0 || j < i {
		t.Errorf("months out of order: November at %d, September at %d", i, j)
	}
	for _, secret := range []string{"Secret", "secret", "GSECRET", "D-2", "D-5"} {
		if strings.Contains(body, secret) {
			t.Errorf("timeline shows %q from a private channel", secret)
		}
	}

	t.Run("FiltersInURL", func(t *testing.T) {
		for _, tc := range []struct {
			query      string
			want, not  []string
			wantStatus int
		}{
			{"area=infra", []string{"Move billing to Postgres 17", "Use Postgres for billing", "2 decisions", `value="infra" selected`}, []string{"Adopt weekly demos"}, 200},
			{"channel=CRAND", []string{"Adopt weekly demos", "1 decision"}, []string{"Postgres"}, 200},
			{"status=superseded", []string{"Use Postgres for billing"}, []string{"Postgres 17"}, 200},
			{"owner=UBOB", []string{"Adopt weekly demos"}, []string{"Postgres"}, 200},
			{"from=2026-10-01&to=2026-10-31", []string{"Adopt weekly demos", "1 decision"}, []string{"Postgres"}, 200},
			{"q=habit", []string{"Adopt weekly demos"}, []string{"Postgres"}, 200},
			{"q=postgres", []string{"Move billing to Postgres 17", "Use Postgres for billing"}, []string{"demos"}, 200},
			{"q=secret", []string{"0 decisions", "No public decision matches"}, []string{"reorg", "freeze"}, 200},
		} {
			t.Run(tc.query, func(t *testing.T) {
				w := get(t, h, "/?"+tc.query)
				if w.Code != tc.wantStatus {
					t.Fatalf("status=%v, want %v: %s", w.Code, tc.wantStatus, w.Body)
				}
				for _, s := range tc.want {
					if !strings.Contains(w.Body.String(), s) {
						t.Errorf("?%s lacks %q", tc.query, s)
					}
				}
				for _, s := range tc.not {
					if strings.Contains(w.Body.String(), s) {
						t.Errorf("?%s shows %q", tc.query, s)
					}
				}
			})
		}
	})

	t.Run("ErrBadInputIs400", func(t *testing.T) {
		for _, q := range []string{"status=maybe", "from=2026-13-45", "from=yesterday", "page=0", "page=-3",
			"page=99999999999999999999", "page=2", "page=100001", "channel=%3Cscript%3E", "area=Not+An+Area",
			"from=2026-10-02&to=2026-10-01", "owner=u1", "q=" + strings.Repeat("x", 201)} {
			w := get(t, h, "/?"+q)
			if got, want := w.Code, http.StatusBadRequest; got != want {
				t.Errorf("?%s: status=%v, want %v", q, got, want)
			}
			if !strings.Contains(w.Body.String(), `role="alert"`) {
				t.Errorf("?%s: no error message on the page", q)
			}
		}
	})
}

func TestDecisionPage(t *testing.T) {
	h := newSite(t, "").Handler()
	w := get(t, h, "/d/1")
	if got, want := w.Code, http.StatusOK; got != want {
		t.Fatalf("status=%v, want %v: %s", got, want, w.Body)
	}
	body := w.Body.String()
	for _, want := range []string{"Use Postgres for billing", "Transactions we can trust.", "Ann Lee", "#general",
		"infra", "superseded", "https://tracker.example.com/BILL-1", `id="superseded-by" href="/d/4"`,
		"Version 2", "Version 1", "recorded, by", "2026-09-14"} {
		if !strings.Contains(body, want) {
			t.Errorf("D-1's page lacks %q", want)
		}
	}
	t.Run("ExportAddressRedirects", func(t *testing.T) {
		w := get(t, h, "/d/4/")
		if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/d/4" {
			t.Fatalf("status %d, Location %q", w.Code, w.Header().Get("Location"))
		}
	})
	t.Run("SupersedesLinksBack", func(t *testing.T) {
		body := get(t, h, "/d/4").Body.String()
		if !strings.Contains(body, `id="supersedes" href="/d/1"`) {
			t.Errorf("D-4 does not link back to D-1")
		}
	})
	t.Run("HistoryNamesWhoAndWhen", func(t *testing.T) {
		body := get(t, h, "/d/3").Body.String()
		for _, want := range []string{"Version 3 (current)</strong> — edited: status decided → superseded, by Bob Diaz, <time>2026-11-14 12:00 UTC",
			"Version 2</strong> — edited: rationale, by Bob Diaz, <time>2026-10-14 11:00 UTC",
			"Version 1</strong> — recorded, by Bob Diaz, <time>2026-10-14 10:00 UTC", "Shipping is a habit.",
			"Superseded by D-6 (not public)"} {
			if !strings.Contains(body, want) {
				t.Errorf("D-3's history lacks %q", want)
			}
		}
		if strings.Contains(body, "Secret demo schedule") {
			t.Errorf("D-3's page shows the title of the private decision that superseded it")
		}
	})
	for _, path := range []string{"/d/2", "/d/5", "/d/6", "/d/99", "/d/abc", "/api/decisions/2", "/api/decisions/99", "/nowhere"} {
		t.Run("ErrNotFound"+path, func(t *testing.T) {
			w := get(t, h, path)
			if got, want := w.Code, http.StatusNotFound; got != want {
				t.Fatalf("status=%v, want %v", got, want)
			}
			if strings.Contains(w.Body.String(), "Secret") {
				t.Fatalf("404 page shows a private decision")
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	h := newSite(t, "").Handler()
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		r := httptest.NewRequest(m, "/d/1", strings.NewReader("x"))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got, want := w.Code, http.StatusMethodNotAllowed; got != want {
			t.Errorf("%s: status=%v, want %v", m, got, want)
		}
		if got, want := w.Header().Get("Allow"), "GET, HEAD"; got != want {
			t.Errorf("%s: Allow=%q, want %q", m, got, want)
		}
	}
	r := httptest.NewRequest(http.MethodHead, "/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got, want := w.Code, http.StatusOK; got != want {
		t.Errorf("HEAD: status=%v, want %v", got, want)
	}
}

func TestToken(t *testing.T) {
	const token = "s3cret-web-token"
	h := newSite(t, token).Handler()
	t.Run("ErrNoToken", func(t *testing.T) {
		for _, path := range []string{"/", "/d/1", "/api/decisions", "/feed.atom", "/?token=wrong"} {
			w := get(t, h, path)
			if got, want := w.Code, http.StatusUnauthorized; got != want {
				t.Fatalf("%s: status=%v, want %v", path, got, want)
			}
			if strings.Contains(w.Body.String(), token) || strings.Contains(w.Body.String(), "Postgres") {
				t.Fatalf("%s: 401 page shows the token or a decision", path)
			}
		}
		if body := get(t, h, "/").Body.String(); !strings.Contains(body, "?token=") || !strings.Contains(body, "Bearer") {
			t.Fatalf("the 401 page does not say how to get in: %s", body)
		}
	})
	t.Run("Bearer", func(t *testing.T) {
		w := get(t, h, "/d/1", "Authorization", "Bearer "+token)
		if got, want := w.Code, http.StatusOK; got != want {
			t.Fatalf("status=%v, want %v", got, want)
		}
		if w := get(t, h, "/d/1", "Authorization", "Bearer nope"); w.Code != http.StatusUnauthorized {
			t.Fatalf("wrong bearer: status=%v", w.Code)
		}
	})
	t.Run("LinkSetsCookieAndDropsToken", func(t *testing.T) {
		w := get(t, h, "/?area=infra&token="+url.QueryEscape(token))
		if got, want := w.Code, http.StatusSeeOther; got != want {
			t.Fatalf("status=%v, want %v", got, want)
		}
		if got, want := w.Header().Get("Location"), "/?area=infra"; got != want {
			t.Fatalf("Location=%q, want %q", got, want)
		}
		cookies := w.Result().Cookies()
		if len(cookies) != 1 || !cookies[0].HttpOnly || strings.Contains(cookies[0].Value, token) {
			t.Fatalf("cookies=%v, want one HttpOnly cookie not holding the token", cookies)
		}
		w = get(t, h, "/?area=infra", "Cookie", cookies[0].Name+"="+cookies[0].Value)
		if got, want := w.Code, http.StatusOK; got != want {
			t.Fatalf("with cookie: status=%v, want %v", got, want)
		}
		if !strings.Contains(w.Body.String(), "closed with a shared token") {
			t.Fatalf("the first page does not say how access works")
		}
	})
}

func TestAPI(t *testing.T) {
	h := newSite(t, "").Handler()
	var list struct {
		Decisions []struct {
			ID, Title, Status, Area, URL string
			OwnerID                      string `json:"owner_id"`
			OwnerName                    string `json:"owner_name"`
			ChannelName                  string `json:"channel_name"`
		}
		Total, Page, Pages int
	}
	w := get(t, h, "/api/decisions?area=infra")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status=%v type=%q", w.Code, w.Header().Get("Content-Type"))
	}
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if got, want := len(list.Decisions), 2; got != want || list.Total != 2 || list.Pages != 1 {
		t.Fatalf("decisions=%d total=%d pages=%d, want %d, 2, 1", got, list.Total, list.Pages, want)
	}
	d := list.Decisions[0]
	if d.ID != "D-4" || d.URL != "/d/4" || d.OwnerID != "UANN" || d.OwnerName != "Ann Lee" || d.ChannelName != "general" || d.Area != "infra" {
		t.Fatalf("first decision %+v", d)
	}

	var one struct {
		ID           string `json:"id"`
		Rationale    string `json:"rationale"`
		SupersededBy int64  `json:"superseded_by"`
		History      []struct {
			Version    int    `json:"version"`
			ReplacedBy string `json:"replaced_by"`
		} `json:"history"`
	}
	w = get(t, h, "/api/decisions/1")
	if err := json.Unmarshal(w.Body.Bytes(), &one); err != nil {
		t.Fatal(err)
	}
	if one.ID != "D-1" || one.SupersededBy != 4 || len(one.History) != 1 || one.History[0].ReplacedBy != "UANN" {
		t.Fatalf("D-1 as JSON: %+v", one)
	}
	for _, private := range []string{"owner_zone", "posted_to", "channel_private", "team_id"} {
		if strings.Contains(w.Body.String(), private) {
			t.Errorf("the API shows %s, the bot's own business", private)
		}
	}
	w = get(t, h, "/api/decisions?status=nope")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"error"`) {
		t.Fatalf("bad filter: status=%v body=%s", w.Code, w.Body)
	}
}

func TestFeeds(t *testing.T) {
	h := newSite(t, "").Handler()
	for _, tc := range []struct {
		path  string
		count int
	}{{"/feed.atom", 3}, {"/feed/area/infra.atom", 2}, {"/feed/channel/CRAND.atom", 1}, {"/feed/channel/GSECRET.atom", 0}} {
		t.Run(tc.path, func(t *testing.T) {
			var feed struct {
				Title   string `xml:"title"`
				Entries []struct {
					Title string `xml:"title"`
					ID    string `xml:"id"`
					Link  struct {
						Href string `xml:"href,attr"`
					} `xml:"link"`
				} `xml:"entry"`
			}
			r := httptest.NewRequest(http.MethodGet, "http://log.example.com"+tc.path, nil)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" {
				t.Fatalf("status=%v type=%q", w.Code, w.Header().Get("Content-Type"))
			}
			body, _ := io.ReadAll(w.Body)
			if err := xml.Unmarshal(body, &feed); err != nil {
				t.Fatal(err)
			}
			if got := len(feed.Entries); got != tc.count {
				t.Fatalf("entries=%d, want %d", got, tc.count)
			}
			if strings.Contains(string(body), "Secret") {
				t.Fatalf("feed shows a private decision")
			}
			if tc.count > 0 && !strings.HasPrefix(feed.Entries[0].Link.Href, "http://log.example.com/d/") {
				t.Fatalf("entry link %q is not absolute", feed.Entries[0].Link.Href)
			}
		})
	}
	if w := get(t, h, "/feed/area/Bad!.atom"); w.Code != http.StatusNotFound {
		t.Fatalf("bad feed: status=%v", w.Code)
	}
}

// TestAlwaysCurrent changes the log under a running site: a channel made
// private leaves every page and the filters at once.
func TestAlwaysCurrent(t *testing.T) {
	site := newSite(t, "")
	h := site.Handler()
	if body := get(t, h, "/").Body.String(); !strings.Contains(body, "#random</option>") || !strings.Contains(body, "Adopt weekly demos") {
		t.Fatalf("#random is not on the site to begin with")
	}
	db := site.Store.(*storage.DB)
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := db.SaveChannel(context.Background(), rituals.Channel{Team: "T1", ID: "CRAND", Name: "random", Private: true}, at); err != nil {
		t.Fatal(err)
	}
	body := get(t, h, "/").Body.String()
	if strings.Contains(body, "random") || strings.Contains(body, "Adopt weekly demos") {
		t.Fatalf("a channel made private is still on the site")
	}
	if w := get(t, h, "/d/3"); w.Code != http.StatusNotFound {
		t.Fatalf("D-3 of a channel made private: status %d", w.Code)
	}
}

// TestPagination pages through 120 decisions (108 public), 50 a page,
// with the filters kept in the pages' links.
func TestPagination(t *testing.T) {
	h := (&web.Site{Store: seedMany(t, 120), Team: "T1"}).Handler()
	count := func(body string) int { return strings.Count(body, `<li class="decision">`) }
	for _, tc := range []struct {
		path            string
		items           int
		heading         string
		prev, next, not string
	}{
		{"/", 50, "108 decisions, page 1 of 3", "", `rel="next" href="/?page=2"`, `rel="prev"`},
		{"/?page=2", 50, "page 2 of 3", `rel="prev" href="/"`, `rel="next" href="/?page=3"`, ""},
		{"/?page=3", 8, "page 3 of 3", `rel="prev" href="/?page=2"`, "", `rel="next"`},
		{"/?area=area-1&page=1", 8, "8 decisions", "", "", `rel="next"`},
		{"/?status=decided", 50, "page 1 of 2", "", `rel="next" href="/?page=2&amp;status=decided"`, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			w := get(t, h, tc.path)
			body := w.Body.String()
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if got := count(body); got != tc.items {
				t.Errorf("items=%d, want %d", got, tc.items)
			}
			for _, want := range []string{tc.heading, tc.prev, tc.next} {
				if want != "" && !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if tc.not != "" && strings.Contains(body, tc.not) {
				t.Errorf("page has %s", tc.not)
			}
		})
	}
	t.Run("ErrPastTheLastIs400", func(t *testing.T) {
		w := get(t, h, "/?page=4")
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "3 page(s)") {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
	t.Run("API", func(t *testing.T) {
		var list struct {
			Decisions   []json.RawMessage
			Page, Pages int
			Next        string
		}
		if err := json.Unmarshal(get(t, h, "/api/decisions?page=2").Body.Bytes(), &list); err != nil {
			t.Fatal(err)
		}
		if len(list.Decisions) != 50 || list.Page != 2 || list.Pages != 3 || list.Next != "/api/decisions?page=3" {
			t.Fatalf("page 2: %d decisions, page %d of %d, next %q", len(list.Decisions), list.Page, list.Pages, list.Next)
		}
	})
}
