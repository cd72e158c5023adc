package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

func TestPulseThresholdHidesSmallGroups(t *testing.T) {
	_, h, humans := pulseWorld(t)
	scale := pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("4"))

	h.sendPulse(ann, team, "", scale)
	for _, u := range humans[1:4] {
		h.answer(u, "P-1", 4, "*5")
	}
	h.pulseReply(ann, team, "close P-1")
	hidden := h.results(team, 1)
	if !strings.Contains(hidden, "The answers are not shown: 3 people answered, fewer than this pulse's anonymity threshold of 4") ||
		strings.Contains(hidden, "█") || strings.Contains(hidden, "Mean") {
		t.Fatalf("below the threshold, results showed:\n%s", hidden)
	}

	h.sendPulse(ann, team, "", scale)
	for _, u := range humans[1:5] {
		h.answer(u, "P-2", 4, "*5")
	}
	h.pulseReply(ann, team, "close P-2")
	if shown := h.results(team, 2); !strings.Contains(shown, "`██████████` 100% · 5 (4)") || !strings.Contains(shown, "*Mean 5.0*") {
		t.Fatalf("at the threshold, results hid:\n%s", shown)
	}

	t.Run("ErrLoweringASentThreshold", func(t *testing.T) {
		if got := h.pulseReply(ann, team, "threshold P-2 3"); !strings.Contains(got, "P-2 was sent with an anonymity threshold of 4") || !strings.Contains(got, "fixed") {
			t.Fatalf("reply %q", got)
		}
		if p := h.exportPulses()[1]; p["threshold"] != 4.0 {
			t.Fatalf("threshold now %v", p["threshold"])
		}
	})
	t.Run("ResultsOnlyOnceClosed", func(t *testing.T) {
		h.sendPulse(ann, team, "", scale)
		for _, u := range humans[:4] {
			h.answer(u, "P-3", 1, "*2")
		}
		got := h.pulseReply(ann, team, "results P-3")
		if !strings.Contains(got, "4 of 10 answered") || !strings.Contains(got, "shown when it closes") || strings.Contains(got, "█") {
			t.Fatalf("results of an open pulse: %q", got)
		}
		if got := h.pulseReply(bob, team, "results P-1"); !strings.Contains(got, "The answers are not shown") {
			t.Fatalf("results of P-1: %q", got)
		}
	})
}

func TestPulseRepeatShowsChangeSinceLastRun(t *testing.T) {
	fs, h, humans := pulseWorld(t)
	h.sendPulse(adm, team, "", pulseValues("How clear are our top priorities this week?",
		"threshold", fakeslack.TextValue("3"), "repeat", fakeslack.StaticValue("weekly"), "scale_labels", fakeslack.TextValue("Not clear\nCrystal clear")))
	for i, u := range humans[:3] {
		h.answer(u, "P-1", i/2, "Your answer")
	}
	h.pulseReply(adm, team, "close P-1")
	if first := h.results(team, 1); !strings.Contains(first, "*Mean 1.3*") {
		t.Fatalf("first run:\n%s", first)
	}
	h.waitPrompts("P-1", humans...)

	h.clock.Advance(7 * 24 * time.Hour)
	h.tick()
	for i, u := range humans[:3] {
		h.answer(u, "P-2", 3+i/2, "Your answer")
	}
	if n := len(h.prompts(bob, "P-1")) + len(h.prompts(bob, "P-2")); n != 2 {
		t.Fatalf("Bob has %d pulse DMs, want one per run", n)
	}
	h.pulseReply(adm, team, "close P-2")
	second := h.results(team, 2)
	for _, want := range []string{"*Mean 4.3* out of 5 (▲ 3.0 since P-1)", "previous run P-1: 3 of 10 (30%)", "5 · Crystal clear (1)"} {
		if !strings.Contains(second, want) {
			t.Errorf("second run lacks %q:\n%s", want, second)
		}
	}
	if p := h.exportPulses()[1]; p["series"] != "P-1" || p["run"] != 2.0 || p["change_since_previous"] != 3.0 {
		t.Errorf("export of the second run: %v", p)
	}

	t.Run("StopEndsTheSeries", func(t *testing.T) {
		if got := h.pulseReply(ann, team, "stop P-2"); !strings.Contains(got, "Only whoever sent P-2") {
			t.Fatalf("Ann stopped Ada's pulse: %q", got)
		}
		if got := h.pulseReply(adm, team, "stop P-2"); !strings.Contains(got, "will not run again") {
			t.Fatalf("stop: %q", got)
		}
		h.waitPrompts("P-2", humans...)
		h.clock.Advance(7 * 24 * time.Hour)
		h.tick()
		if got := h.pulseReply(adm, team, "list"); strings.Contains(got, "P-3") || !strings.Contains(got, "*P-2* · closed") {
			t.Fatalf("list after stop: %q", got)
		}
		if len(h.prompts(bob, "P-3")) != 0 || len(fs.Calls("chat.postMessage")) == 0 {
			t.Fatal("a stopped series ran again")
		}
	})
}

func TestPulseRolesCallOutTheWidestGap(t *testing.T) {
	_, h, _ := pulseWorld(t)
	roles := "roles <!subteam^S0ENG|@eng> = engineering <!subteam^S0PM|@pm>=product <!subteam^S0OPS|@ops>=ops"
	if got := h.pulseReply(ann, team, roles); !strings.Contains(got, "Only alignbot's admins") {
		t.Fatalf("a non-admin set roles: %q", got)
	}
	if got := h.pulseReply(adm, team, roles); !strings.Contains(got, "<!subteam^S0ENG> = *engineering*") {
		t.Fatalf("roles reply %q", got)
	}

	h.sendPulse(adm, team, "", pulseValues("How clear are our top priorities this week?", "threshold", fakeslack.TextValue("3")))
	for u, choice := range map[string]int{
		"U0ENG01": 4, "U0ENG02": 4, "U0ENG03": 3, // engineering: 5, 5, 4
		"U0PM01": 0, "U0PM02": 1, "U0PM03": 1, // product: 1, 2, 2
		"U0OPS01": 2, ann: 2, bob: 2, // two ops are too few to stand apart; with Ann and Bob, no role
	} {
		h.answer(u, "P-1", choice, "Your answer")
	}
	results := h.closeWithRoleGap(t)
	if strings.Contains(results, "*ops*") {
		t.Errorf("a role of two was shown apart:\n%s", results)
	}
}

func TestPulseExport(t *testing.T) {
	_, h, humans := pulseWorld(t)
	h.sendPulse(ann, team, "", pulseValues("When you say a piece of work is “done”, what has happened?", "kind", fakeslack.StaticValue("choice"),
		"choices", fakeslack.TextValue("The code is merged\nIt is deployed\nCustomers use it"), "threshold", fakeslack.TextValue("3")))
	h.sendPulse(ann, team, "", pulseValues("Ship on Friday?", "kind", fakeslack.StaticValue("yesno"), "anonymous", fakeslack.CheckboxesValue()))
	for i, u := range humans[:4] {
		h.answer(u, "P-1", i%3, "Your answer")
		h.answer(u, "P-2", i%2, "Your answer")
	}
	h.pulseReply(ann, team, "close P-1")
	h.pulseReply(ann, team, "close P-2")
	h.results(team, 2)

	ps := h.exportPulses()
	anon, named := ps[0], ps[1]
	if anon["answers"] != nil || anon["anonymous"] != true {
		t.Errorf("the anonymous pulse exported who answered what: %v", anon)
	}
	counts := anon["results"].(map[string]any)["counts"].([]any)
	if len(counts) != 3 || counts[0].(map[string]any)["count"] != 2.0 {
		t.Errorf("anonymous counts %v, want 2/1/1", counts)
	}
	answers, _ := named["answers"].([]any)
	if len(answers) != 4 || named["anonymous"] != false {
		t.Fatalf("the named pulse exported answers %v", answers)
	}

	out := h.export("pulses", "--format", "csv", "--channel", "#team")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "id,series,run,team_id,channel_id,question,kind,anonymous,threshold,status,sent_at,closed_at,group,asked,answered,shown,choice,count,mean" {
		t.Fatalf("csv header %q", got)
	}
	if len(rows) != 1+3+2 || rows[1][16] != "The code is merged" || rows[1][17] != "2" || rows[1][12] != "all" {
		t.Fatalf("csv rows %v", rows)
	}
	for _, u := range humans {
		if strings.Contains(out, u) {
			t.Fatalf("the csv names %s", u)
		}
	}

	for _, tc := range []struct{ args, want string }{
		{"--format xml", "--format \"xml\" is not one of json, csv"},
		{"--channel #nope", "no channel named #nope"},
	} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"export", "pulses", "--db", h.db}, strings.Fields(tc.args)...)
		if code := run(context.Background(), args, noEnv, &stdout, &stderr); code == 0 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, %q, want %q", args, code, stderr.String(), tc.want)
		}
	}
}
