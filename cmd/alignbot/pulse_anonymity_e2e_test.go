package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
)

// TestPulseAnonymityLeavesNoLink has people answer two anonymous pulses
// through their DMs, in a known order, some changing their answer, with a
// role of a single respondent; then it reads the database as an operator
// could, while the pulses are open and once they closed: every column of
// every table, PostgreSQL's xmin and ctid or SQLite's rowid, and every log
// line, metric and export. No row, transaction, storage order or time may
// tie a person to their answer, or to a token or key that leads to it.
func TestPulseAnonymityLeavesNoLink(t *testing.T) {
	_, h, _ := pulseWorld(t)
	h.pulseReply(adm, team, "roles <!subteam^S0ENG|@eng>=engineering <!subteam^S0PM|@pm>=product")
	choices := strings.Split("Billing rewrite\nSearch revamp\nMobile app\nData platform", "\n")
	h.sendPulse(adm, team, "", pulseValues("If we shipped nothing for 30 days, which project would we miss most?",
		"kind", fakeslack.StaticValue("choice"), "choices", fakeslack.TextValue(strings.Join(choices, "\n")), "threshold", fakeslack.TextValue("3")))
	h.sendPulse(adm, team, "", pulseValues("Where do our teams disagree most about priorities right now?",
		"kind", fakeslack.StaticValue("text"), "threshold", fakeslack.TextValue("3")))

	// Who answered what, in the order they first answered; a changed
	// answer must leave no trace of the first.
	var order []string
	answered := map[string][]string{} // last answer first
	texts := map[string]bool{}
	give := func(user, answer string) {
		if !slices.Contains(order, user) {
			order = append(order, user)
		}
		answered[user] = append([]string{answer}, answered[user]...)
	}
	pick := func(user string, i int) {
		h.answer(user, "P-1", i, choices[i])
		give(user, choices[i])
	}
	write := func(user, text string) {
		h.answerText(user, "P-2", text)
		give(user, text)
		texts[text] = true
	}
	pick("U0ENG01", 0)
	pick("U0ENG01", 2) // changed; the only engineer to answer P-1
	pick("U0PM01", 1)  // the only product person to answer P-1
	pick(ann, 3)
	write("U0ENG02", "quokka roadmap versus narwhal deadlines")
	write("U0PM02", "pelican pricing")
	write("U0PM02", "axolotl onboarding, on reflection") // changed
	write(bob, "wombat release dates")

	// What leads to an answer: each person's tokens and key shares (in
	// their DMs only) and the keys of their ballots, in every box.
	tokens, shares := map[string][]string{}, map[string][]string{}
	keys, wholeKeys := map[string][]string{}, map[string][]string{}
	for _, user := range order {
		tokens[user], shares[user] = tokensIn(h, user), sharesIn(h, user)
		if len(tokens[user]) == 0 || len(shares[user]) == 0 {
			t.Fatalf("found no answer token or key share in %s's DMs", user)
		}
		for _, tok := range tokens[user] {
			for _, n := range []int64{1, 2} {
				whole := rituals.BallotKey(h.fs.TeamID(), n, "", tok)
				wholeKeys[user] = append(wholeKeys[user], whole)
				keys[user] = append(keys[user], whole, rituals.BallotKey(h.fs.TeamID(), n, "engineering", tok),
					rituals.BallotKey(h.fs.TeamID(), n, "product", tok))
			}
		}
	}
	drained := func() {
		h.waitFor("the outbox to drain", func() bool { return !slices.ContainsFunc(rowsOf(dumpRows(t, h.db), "outbox"), isPending) })
	}
	drained()

	// links returns what in line ties a person to an answer, or what
	// leads to one: a token (never stored), or a key or share next to
	// its holder.
	links := func(line string) []string {
		var found []string
		for user, answers := range answered {
			if strings.Contains(line, user) {
				for _, secret := range slices.Concat(answers, keys[user], shares[user]) {
					if strings.Contains(line, secret) {
						found = append(found, user+" next to "+clipTest(secret))
					}
				}
			}
			for _, tok := range tokens[user] {
				if strings.Contains(line, tok) {
					found = append(found, "an answer token")
				}
			}
		}
		return found
	}
	if links("U0PM02|axolotl onboarding, on reflection|") == nil || links("x|"+tokens[bob][0]) == nil ||
		links(keys["U0ENG01"][0]+"|U0ENG01") == nil {
		t.Fatal("the link check is blind: it missed a planted link")
	}
	check := func(where, line string) {
		t.Helper()
		if found := links(line); found != nil {
			t.Errorf("%s holds %v:\n%s", where, found, clipTest(line))
		}
	}

	inspect := func(stage string, rows []storedRow) {
		t.Helper()
		for _, r := range rows {
			check(stage+": table "+r.Table, r.Line)
		}
		noSystemLink(t, stage, rows, order, keys, wholeKeys, answered, choices)
	}
	open := dumpRows(t, h.db)
	inspect("open", open)
	for _, r := range open {
		for text := range texts {
			if strings.Contains(r.Line, text) {
				t.Errorf("open: table %s holds the answer %q in clear", r.Table, text)
			}
		}
		for _, c := range choices {
			if r.Table != "pulses" && strings.Contains(r.Line, c) {
				t.Errorf("open: table %s holds the choice %q in clear", r.Table, c)
			}
		}
	}

	h.pulseReply(adm, team, "close P-1")
	h.pulseReply(adm, team, "close P-2")
	h.results(team, 2)
	drained()
	closed := dumpRows(t, h.db)
	inspect("closed", closed)
	for _, r := range closed {
		if strings.Contains(r.Line, "pelican pricing") {
			t.Errorf("closed: table %s holds an answer changed before close", r.Table)
		}
		for _, role := range []string{"|engineering|", "|product|"} {
			for _, c := range choices {
				if strings.Contains(r.Line, role) && strings.Contains(r.Line, c) {
					t.Errorf("closed: table %s keeps the answer of a role with one respondent: %s", r.Table, r.Line)
				}
			}
		}
	}
	for _, line := range strings.Split(h.logs.String(), "\n") {
		check("log", line)
	}
	for _, line := range strings.Split(metricsText(t, h), "\n") {
		check("metrics", line)
	}
	for _, format := range []string{"json", "csv"} {
		for _, line := range strings.Split(h.export("pulses", "--format", format), "\n") {
			check(format+" export", line)
		}
	}
	if dm := messageText(h.prompts("U0PM02", "P-2")[0]); !strings.Contains(dm, "axolotl onboarding") {
		t.Errorf("the one place a person meets their answer, their DM, does not show it:\n%s", dm)
	}

	t.Run("ResultsStillCountEveryone", func(t *testing.T) {
		results := h.results(team, 1)
		for _, want := range []string{"3 of 10 answered", "33% · Search revamp (1)", "33% · Mobile app (1)", "0% · Billing rewrite (0)"} {
			if !strings.Contains(results, want) {
				t.Errorf("results lack %q:\n%s", want, results)
			}
		}
		if strings.Contains(results, "*engineering*") || strings.Contains(results, "*product*") {
			t.Errorf("roles of one respondent each were shown:\n%s", results)
		}
		if text := h.results(team, 2); !strings.Contains(text, "axolotl onboarding") || strings.Contains(text, "pelican") {
			t.Errorf("free-text results:\n%s", text)
		}
	})
}

func isPending(line string) bool { return strings.Contains(line, "|pending|") }

// thirteenDigits finds what looks like a time in milliseconds: a number
// of its own, not a run of digits inside a hex or base64 key (sealed
// ballots are full of those, and one in twenty runs held such a run).
var thirteenDigits = regexp.MustCompile(`(^|[^0-9A-Za-z])1[0-9]{12}([^0-9A-Za-z]|$)`)

// noSystemLink checks what rows say besides their columns. A row that
// names an answerer is a person's; a row that holds a ballot key, an
// answer's text or a choice (outside the pulse itself) is an answer's.
//   - No answer row may share its transaction (xmin) with a person row.
//   - No table may keep answers of the whole audience one to a row:
//     such rows carry their own place and transaction, whose order is
//     the order people answered in.
//   - Where a row holds several ballots, they are in key order, which is
//     random, never in the order they were given.
//   - No answer row holds a time.
func noSystemLink(t *testing.T, stage string, rows []storedRow, order []string, keys, wholeKeys, answered map[string][]string, choices []string) {
	t.Helper()
	if !thirteenDigits.MatchString(`T1|1796559589661|x`) || !thirteenDigits.MatchString(`{"at":1796559589661}`) ||
		thirteenDigits.MatchString(`"18778a96c7afb1796559589661f"`) {
		t.Fatal("the time check is blind, or sees times inside keys")
	}
	personXmin := map[string]string{}
	for _, r := range rows {
		for _, user := range order {
			if r.Xmin != "" && strings.Contains(r.Line, user) {
				personXmin[r.Xmin] = r.Table + " row naming " + user
			}
		}
	}
	holds := func(line string, secrets []string, outside bool) bool {
		return outside && slices.ContainsFunc(secrets, func(s string) bool { return strings.Contains(line, s) })
	}
	perTable := map[string]int{}
	for _, r := range rows {
		answer := holds(r.Line, choices, r.Table != "pulses")
		var whole []string // the whole-audience ballot keys in the row, in place order
		for _, user := range order {
			answer = answer || holds(r.Line, keys[user], true) || holds(r.Line, answered[user], r.Table != "pulses")
			for _, k := range wholeKeys[user] {
				if strings.Contains(r.Line, k) {
					whole = append(whole, k)
				}
			}
		}
		if !answer {
			continue
		}
		if who, ok := personXmin[r.Xmin]; ok {
			t.Errorf("%s: a %s row holding answers was written in transaction %s, with a %s", stage, r.Table, r.Xmin, who)
		}
		if thirteenDigits.MatchString(r.Line) {
			t.Errorf("%s: a %s row holding answers holds a time: %s", stage, r.Table, clipTest(r.Line))
		}
		if len(whole) == 1 {
			if perTable[r.Table]++; perTable[r.Table] == 2 {
				order := map[bool]string{true: "ctid", false: "rowid"}[testdb.Postgres()]
				t.Errorf("%s: table %s keeps answers one to a row, each with its own transaction and %s", stage, r.Table, order)
			}
		}
		slices.SortFunc(whole, func(a, b string) int { return strings.Index(r.Line, a) - strings.Index(r.Line, b) })
		if !slices.IsSorted(whole) {
			t.Errorf("%s: a %s row holds its ballots out of key order", stage, r.Table)
		}
	}
}
