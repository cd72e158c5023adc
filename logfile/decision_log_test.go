package logfile_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

func TestWriteDecisionLog(t *testing.T) {
	t.Run("SeedTemplateExactly", func(t *testing.T) {
		d := &rituals.Decision{
			Number:    1,
			Date:      "2026-04-01",
			Title:     "API versioning strategy",
			OwnerName: "Platform Team",
			Text:      "Use semver for public APIs; internal services use deploy-driven versioning.",
			Rationale: "Backward compatibility for public contracts. Internal services iterate faster.",
			Impact:    "Product teams will update contract tests by 2026-05-01.",
		}
		var buf bytes.Buffer
		if err := logfile.WriteDecisionLog(&buf, []*rituals.Decision{d}); err != nil {
			t.Fatal(err)
		}
		want := "# Decision Log\n" +
			"## 2026-04-01 — API versioning strategy\n" +
			"Owner: Platform Team\n" +
			"Decision: Use semver for public APIs; internal services use deploy-driven versioning.\n" +
			"Rationale: Backward compatibility for public contracts. Internal services iterate faster.\n" +
			"Impact: Product teams will update contract tests by 2026-05-01.\n"
		if got := buf.String(); got != want {
			t.Fatalf("log:\n%s\nwant:\n%s", got, want)
		}
	})

	t.Run("OldestFirstMultilineAndEmpty", func(t *testing.T) {
		ds := []*rituals.Decision{
			{Number: 2, Date: "2026-04-02", Title: "B", Owner: "U1", Text: "line one\nline two"},
			{Number: 1, Date: "2026-04-01", Title: "A", OwnerName: "Ann", Text: "a", Rationale: "r", Impact: "i"},
		}
		var buf bytes.Buffer
		if err := logfile.WriteDecisionLog(&buf, ds); err != nil {
			t.Fatal(err)
		}
		want := "# Decision Log\n" +
			"## 2026-04-01 — A\nOwner: Ann\nDecision: a\nRationale: r\nImpact: i\n" +
			"\n" +
			"## 2026-04-02 — B\nOwner: U1\nDecision: line one\n  line two\nRationale:\nImpact:\n"
		if got := buf.String(); got != want {
			t.Fatalf("log:\n%q\nwant:\n%q", got, want)
		}
	})
}

// TestTeamOwnerRoundTrip exports decisions owned by a user group and by
// a channel under the team's name, and imports them back as that name
// with no Slack owner: a team, not a person.
func TestTeamOwnerRoundTrip(t *testing.T) {
	ds := []*rituals.Decision{
		{Number: 1, Date: "2026-04-01", Title: "A", Owner: "S1", OwnerName: "platform-team", Text: "a"},
		{Number: 2, Date: "2026-04-02", Title: "B", Owner: "C1", OwnerName: "sre", Text: "b"},
		{Number: 3, Date: "2026-04-03", Title: "C", Owner: "S2", Text: "c"},
	}
	var buf bytes.Buffer
	if err := logfile.WriteDecisionLog(&buf, ds); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Owner: @platform-team\n", "Owner: #sre\n", "Owner: S2\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Fatalf("log lacks %q:\n%s", want, buf.String())
		}
	}
	back, err := logfile.ReadDecisionLog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back[0].Owner != "" || back[0].OwnerName != "@platform-team" || back[1].OwnerName != "#sre" {
		t.Fatalf("imported owners %q (%q), %q", back[0].Owner, back[0].OwnerName, back[1].OwnerName)
	}
}

// TestProposalFieldsInJSON keeps who proposed a decision to its area's
// Accountable owner, and why it was sent back, in the JSON export.
func TestProposalFieldsInJSON(t *testing.T) {
	var buf bytes.Buffer
	d := &rituals.Decision{Number: 4, Title: "T", Text: "x", Status: rituals.StatusDropped, ProposedBy: "U2", SentBack: "Not now."}
	if err := logfile.WriteDecisionsJSON(&buf, []*rituals.Decision{d}); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got[0]["proposed_by"] != "U2" || got[0]["sent_back"] != "Not now." {
		t.Fatalf("json export: %s", buf.String())
	}
}

func TestWriteDecisionsJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := logfile.WriteDecisionsJSON(&buf, nil); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got) != 0 {
		t.Fatalf("empty export = %s (%v), want []", buf.String(), err)
	}
	buf.Reset()
	d := &rituals.Decision{Number: 3, Title: "T", Text: "x", Status: rituals.StatusDecided, Links: []string{"https://x.test/1"}}
	if err := logfile.WriteDecisionsJSON(&buf, []*rituals.Decision{d}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"number", "date", "title", "decision", "rationale", "impact", "owner_id", "owner_name", "author_id", "channel_id", "status", "links", "version", "created_at"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("json export lacks %q: %s", k, buf.String())
		}
	}
}

func TestDecisionLogRoundTrip(t *testing.T) {
	day := func(s string) time.Time { tm, _ := time.Parse("2006-01-02", s); return tm }
	ds := []*rituals.Decision{
		{Number: 1, Date: "2026-03-01", Title: "Use REST for public APIs", OwnerName: "Ann Lee", Text: "REST.",
			Status: rituals.StatusSuperseded, SupersededBy: 3, DecidedAt: day("2026-03-01"), CreatedAt: day("2026-03-01")},
		{Number: 2, Date: "2026-03-02", Title: "Pick a queue", OwnerName: "Bob Ray", Text: "Decide between\nSQS and Kafka.",
			Rationale: "Line one\n\nLine three after a blank line", Status: rituals.StatusProposed, DecideBy: "2026-03-20",
			Area: "platform", Links: []string{"https://tracker.test/Q-1", "https://rfc.test/7"}, CreatedAt: day("2026-03-02")},
		{Number: 3, Date: "2026-04-01", Title: "API versioning strategy", OwnerName: "Platform Team",
			Text:      "Use semver for public APIs; internal services use deploy-driven versioning.",
			Rationale: "Backward compatibility for public contracts. Internal services iterate faster.",
			Impact:    "Product teams will update contract tests by 2026-05-01.", Status: rituals.StatusDecided,
			Supersedes: 1, RevisitBy: "2027-04-01", Source: "https://acme.slack.com/archives/C1/p1",
			DecidedAt: day("2026-04-03"), CreatedAt: day("2026-04-01")},
	}
	var first bytes.Buffer
	if err := logfile.WriteDecisionLog(&first, ds); err != nil {
		t.Fatal(err)
	}
	entries, err := logfile.ReadDecisionLog(strings.NewReader(first.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, first.String())
	}
	// Number them as an import into an empty log would, and resolve the
	// references by date and title.
	var back []*rituals.Decision
	byRef := map[rituals.DecisionRef]int64{}
	for i, e := range entries {
		byRef[rituals.DecisionRef{Date: e.Date, Title: e.Title}] = int64(i + 1)
	}
	for i, e := range entries {
		d := e.Decision
		d.Number = int64(i + 1)
		d.Supersedes = byRef[e.SupersedesRef]
		d.SupersededBy = byRef[e.SupersededByRef]
		back = append(back, &d)
	}
	var second bytes.Buffer
	if err := logfile.WriteDecisionLog(&second, back); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("round trip changed the log:\n%s\n---\n%s", first.String(), second.String())
	}
	if got := back[1].Links; len(got) != 2 || got[1] != "https://rfc.test/7" {
		t.Fatalf("links=%q", got)
	}
	if back[2].LeadTime() != 48*time.Hour || back[1].Status != rituals.StatusProposed || back[1].DecideBy != "2026-03-20" {
		t.Fatalf("fields lost: %+v", back)
	}
}

func TestReadDecisionLogErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":                                    "the file is empty",
		"# Notes\n":                           "line 1",
		"# Decision Log\nOwner: x\n":          "line 2: expected an entry heading",
		"# Decision Log\n## 2026-13-01 — T\n": "is not a date",
		"# Decision Log\n## 2026-01-01 — T\nOwner: A\n":                         "has no Decision line",
		"# Decision Log\n## 2026-01-01 — T\nDecision: d\nStatus: maybe\n":       "status \"maybe\"",
		"# Decision Log\n## 2026-01-01 — T\nDecision: d\nWhatever is this?\n":   "",
		"# Decision Log\n## 2026-01-01 — T\nDecision: d\n\nStray line\n":        "line 5: expected a field",
		"# Decision Log\n## 2026-01-01 — T\nDecision: d\nDecide by: tomorrow\n": "is not a date",
	} {
		_, err := logfile.ReadDecisionLog(strings.NewReader(in))
		if want == "" {
			if err != nil {
				t.Errorf("ReadDecisionLog(%q): %v, want a lenient read", in, err)
			}
			continue
		}
		if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadDecisionLog(%q) err=%v, want EINVALID with %q", in, err, want)
		}
	}
}

// TestReadDecisionLogChecksLikeTheForm checks that an imported entry
// meets the decision form's rules, and that a refusal names the line.
func TestReadDecisionLogChecksLikeTheForm(t *testing.T) {
	const head = "# Decision Log\n## 2026-01-01 — T\n"
	long := func(n int) string { return strings.Repeat("é", n) }
	links := strings.Repeat("  https://x.test/a\n", rituals.MaxLinks+1)
	for name, tc := range map[string]struct{ in, want string }{
		"ErrEmptyTitle":     {"# Decision Log\n## 2026-01-01 —  \nDecision: d\n", "line 2: The title is required."},
		"ErrLongTitle":      {"# Decision Log\n## 2026-01-01 — " + long(151) + "\nDecision: d\n", "line 2: The title is 151 characters long; the limit is 150."},
		"ErrEmptyDecision":  {head + "Owner: A\nDecision:  \n", "line 4: The decision is required."},
		"ErrLongDecision":   {head + "Decision: " + long(rituals.MaxDecisionText+1) + "\n", "line 3: The decision is 10001 characters long; the limit is 10000."},
		"ErrLongRationale":  {head + "Decision: d\nRationale: a\n  " + long(rituals.MaxRationale) + "\n", "line 4: The rationale is 3002 characters long; the limit is 3000."},
		"ErrLongImpact":     {head + "Decision: d\nImpact: " + long(rituals.MaxImpact+1) + "\n", "line 4: The impact is 3001 characters long"},
		"ErrArea":           {head + "Decision: d\nArea: Not an area!\n", "line 4: \"not an area!\" is not an area name"},
		"ErrLink":           {head + "Decision: d\nLinks: https://x.test/1\n  ftp://x.test/2\n", "line 4: \"ftp://x.test/2\" is not a link"},
		"ErrTooManyLinks":   {head + "Decision: d\nLinks:\n" + links, "line 4: That is 21 links; the limit is 20."},
		"ErrSource":         {head + "Decision: d\nSource: https://x.slack.com/a|<!channel>\n", "line 4: the source"},
		"ErrSourceScheme":   {head + "Decision: d\nSource: javascript:alert(1)\n", "line 4: the source"},
		"ErrStatus":         {head + "Decision: d\nStatus: maybe\n", "line 4: status \"maybe\" is not one of"},
		"ErrProposedNoDate": {head + "Decision: d\nStatus: proposed\n", "line 4: a proposed decision needs a \"Decide by:\" date."},
		"ErrDecideBy":       {head + "Decision: d\nStatus: proposed\nDecide by: 2026-02-30\n", "line 5: \"2026-02-30\" is not a date"},
		"ErrRevisitBy":      {head + "Decision: d\nRevisit by: soon\n", "line 4: \"soon\" is not a date"},
		"ErrDecidedOn":      {head + "Decision: d\nDecided on: 2026-1-2\n", "line 4: \"2026-1-2\" is not a date"},
		"ErrNoDecision":     {head + "Owner: A\n", "line 2: the entry \"2026-01-01 — T\" has no Decision line."},
		"ErrFieldTwice":     {head + "Decision: d\nOwner: A\nDecision: e\n", "line 5: the entry already has a Decision line, on line 3"},
		"ErrBadHeading":     {head + "Decision: d\n## 2026-1-02 — U\nDecision: e\n", "line 4: an entry heading reads like"},
		"ErrNUL":            {head + "Decision: d\x00\n", "line 3: a decision log is UTF-8 text, without NUL characters."},
		"ErrNotUTF8":        {head + "Decision: d\xff\n", "line 3: a decision log is UTF-8 text"},
		"ErrLaterEntry":     {head + "Decision: d\n\n## 2026-01-02 — \u3000\nDecision: e\n", "line 5: The title is required."},
	} {
		t.Run(name, func(t *testing.T) {
			entries, err := logfile.ReadDecisionLog(strings.NewReader(tc.in))
			if rituals.ErrorCode(err) != rituals.EINVALID || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err=%v, want EINVALID starting %q", err, tc.want)
			}
			if entries != nil {
				t.Fatalf("a refused file gave %d entries", len(entries))
			}
		})
	}
}
