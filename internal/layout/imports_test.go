package layout

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/alignbot/alignbot"

// pkg is what `go list -json` says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
	Standard   bool
}

// rule says which packages a group of packages may import directly, apart
// from the standard library.
type rule struct {
	// of matches the packages the rule is about: a path relative to the
	// module, and with a trailing "/..." its subpackages too.
	of string
	// may lists what they may import: module-relative paths as above, or
	// full import paths of other modules (a trailing "/..." as well).
	may []string
}

// rules are STYLE.md's shape: rituals in the middle importing nothing of
// ours; bot (with its subpackages, the only importers of slack-go) and
// storage (the only home of SQL drivers) each importing rituals, never
// each other; cmd the only place they meet.
var rules = []rule{
	{of: "rituals", may: []string{"github.com/robfig/cron/v3"}},
	{of: "logfile", may: []string{"rituals"}},
	// web is the decision log's site: html/template over the domain, no
	// Slack and no SQL.
	{of: "web", may: []string{"rituals"}},
	{of: "migrations"},
	{of: "hooks", may: []string{"rituals"}},
	{of: "chart", may: []string{"rituals", "gonum.org/v1/plot/...", "golang.org/x/image/..."}},
	// bot's own layers, lowest first: render and metrics know no Slack
	// calls; slackapi is the one paced client and the directory;
	// delivery (the outbox) builds on those and never on the edge.
	{of: "bot/render", may: []string{"rituals", "github.com/slack-go/slack"}},
	{of: "bot/metrics", may: []string{"rituals", "github.com/prometheus/client_golang/..."}},
	{of: "bot/slackapi", may: []string{"rituals", "github.com/slack-go/slack", "github.com/prometheus/client_golang/...", "golang.org/x/time/rate", "golang.org/x/sync/..."}},
	{of: "bot/delivery", may: []string{"bot/render", "bot/metrics", "bot/slackapi", "rituals", "chart", "github.com/slack-go/slack"}},
	{of: "bot/...", may: []string{"bot/...", "rituals", "chart", "github.com/slack-go/slack/...", "github.com/prometheus/client_golang/...", "golang.org/x/time/rate", "golang.org/x/sync/..."}},
	{of: "storage", may: []string{"rituals", "migrations", "github.com/jmoiron/sqlx", "github.com/jackc/pgx/v5/...", "modernc.org/sqlite/...", "modernc.org/sqlite", "github.com/pressly/goose/v3/...", "github.com/pressly/goose/v3", "github.com/google/uuid", "golang.org/x/text/..."}},
	{of: "cmd/alignbot", may: []string{"hooks", "bot", "bot/slackapi", "bot/delivery", "bot/metrics", "rituals", "storage", "logfile", "chart", "migrations", "web", "github.com/robfig/cron/v3", "github.com/prometheus/client_golang/..."}},
}

func TestImportRules(t *testing.T) {
	pkgs := list(t)
	for _, p := range pkgs {
		rel, ok := strings.CutPrefix(p.ImportPath, module+"/")
		if !ok {
			continue
		}
		r, ok := ruleOf(rel)
		if !ok {
			continue // bench, internal: tools and tests' helpers
		}
		for _, imp := range p.Imports {
			if isStandard(imp) || allowed(r.may, imp) {
				continue
			}
			t.Errorf("%s imports %s, which STYLE.md's layout does not let it", rel, imp)
		}
	}
}

// TestOnlyBotImportsSlack checks the one rule that spans every package:
// slack-go is the edge's, and nothing else speaks Slack's API.
func TestOnlyBotImportsSlack(t *testing.T) {
	for _, p := range list(t) {
		rel := strings.TrimPrefix(p.ImportPath, module+"/")
		if rel == "bot" || strings.HasPrefix(rel, "bot/") {
			continue
		}
		for _, imp := range p.Imports {
			if strings.HasPrefix(imp, "github.com/slack-go/") {
				t.Errorf("%s imports %s: only bot may speak slack-go", rel, imp)
			}
		}
	}
}

func ruleOf(rel string) (rule, bool) {
	for _, r := range rules {
		if match(r.of, rel) {
			return r, true
		}
	}
	return rule{}, false
}

func allowed(may []string, imp string) bool {
	for _, m := range may {
		if match(m, strings.TrimPrefix(imp, module+"/")) {
			return true
		}
	}
	return false
}

// match reports whether path is pattern, or under it for "x/...".
func match(pattern, path string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// isStandard reports whether imp is in the standard library: its first
// element has no dot.
func isStandard(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

// list runs `go list -json` over the module's packages, test files left
// out: tests may reach across seams to drive the whole.
func list(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	return pkgs
}
