package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// resultsMessage waits for the n-th results message in channel.
func (h *harness) resultsMessage(channel string, n int) fakeslack.Message {
	h.t.Helper()
	h.results(channel, n)
	var out []fakeslack.Message
	for _, m := range h.botMessages(channel) {
		if strings.Contains(m.Text, "results:") {
			out = append(out, m)
		}
	}
	return out[n-1]
}

// pressFollowUp clicks action ("pulse.decide" or "pulse.blocker") on the
// message ts in channel as user, and returns the form it opened, as sent
// to views.open.
func (h *harness) pressFollowUp(user, channel, ts, action string) (fakeslack.View, openedForm) {
	h.t.Helper()
	before := len(h.fs.Calls("views.open"))
	if _, err := h.fs.BlockAction(context.Background(), fakeslack.Action{User: user, Channel: channel, MessageTS: ts, ActionID: action}); err != nil {
		h.t.Fatal(err)
	}
	h.waitFor(action+"'s form", func() bool {
		calls := h.fs.Calls("views.open")
		return len(calls) > before && calls[before].Status != 0
	})
	call := h.fs.Calls("views.open")[before]
	if !call.OK {
		h.t.Fatalf("views.open refused: %s", call.Error)
	}
	return h.waitView(user, action+"'s form"), decodeOpened(h.t, call.Params["view"])
}

// openedForm is a modal as the bot sent it to views.open.
type openedForm struct {
	CallbackID      string `json:"callback_id"`
	PrivateMetadata string `json:"private_metadata"`
	Blocks          []struct {
		BlockID string `json:"block_id"`
		Element struct {
			InitialValue string `json:"initial_value"`
			MaxLength    int    `json:"max_length"`
		} `json:"element"`
	} `json:"blocks"`
}

func decodeOpened(t testing.TB, view any) openedForm {
	t.Helper()
	raw, ok := view.(string)
	if !ok {
		b, _ := json.Marshal(view)
		raw = string(b)
	}
	var f openedForm
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		t.Fatalf("views.open view %q: %v", raw, err)
	}
	return f
}

// initial returns the initial value of the form's field, checking it fits
// the field.
func (f openedForm) initial(t testing.TB, field string) string {
	t.Helper()
	for _, b := range f.Blocks {
		if b.BlockID == field {
			if n := utf8.RuneCountInString(b.Element.InitialValue); n > b.Element.MaxLength {
				t.Fatalf("%s holds %d characters, more than its max_length %d", field, n, b.Element.MaxLength)
			}
			return b.Element.InitialValue
		}
	}
	t.Fatalf("the form has no field %q", field)
	return ""
}

// textPulseWith sends a free-text pulse from Ann in #team, has each of
// answers given by one person, closes it and returns its results message.
func (h *harness) textPulseWith(humans []string, id string, n int, threshold string, answers ...string) fakeslack.Message {
	h.t.Helper()
	h.sendPulse(ann, team, "", pulseValues("What slows us down?", "kind", fakeslack.StaticValue("text"), "threshold", fakeslack.TextValue(threshold)))
	for i, a := range answers {
		h.answerText(humans[2+i], id, a)
	}
	h.pulseReply(ann, team, "close "+id)
	m := h.resultsMessage(team, n)
	// The results are in Slack a moment before alignbot records where
	// they are, which the follow-up's link is made from: a button pressed
	// in between gets a form without the link (a person cannot be that
	// quick; a test can, and then failed now and then).
	h.settle()
	return m
}

func TestPulseResultsFollowUp(t *testing.T) {
	fs, h, humans := pulseWorld(t)
	results := h.textPulseWith(humans, "P-1", 1, "3",
		"Flaky tests slow every deploy", "Deploys wait on reviews", "Code reviews take days", "flaky tests again")
	text := messageText(results)
	themes := "*Top themes*, by how many answers mention them:\n• *deploy* · 2 answers · e.g. “Deploys wait on reviews”\n" +
		"• *flaky* · 2 answers · e.g. “flaky tests again”\n• *reviews* · 2 answers · e.g. “Code reviews take days”\n• *tests* · 2 answers · e.g. “flaky tests again”"
	if !strings.Contains(text, themes) || strings.Index(text, "Top themes") > strings.Index(text, "*Answers*") {
		t.Fatalf("results lack the themes above the answers:\n%s", text)
	}
	raw, _ := json.Marshal(results.Blocks)
	if !strings.Contains(string(raw), `"action_id":"pulse.decide"`) || !strings.Contains(string(raw), `"action_id":"pulse.blocker"`) {
		t.Fatalf("results lack the follow-up buttons: %s", raw)
	}
	link := cardLink(results)
	summary := "Pulse P-1, closed 2026-11-25: “What slows us down?”\n4 of 10 answered (40%), anonymous.\n" +
		"Top themes: deploy (2 answers), flaky (2 answers), reviews (2 answers), tests (2 answers).\nResults: "

	t.Run("RecordADecision", func(t *testing.T) {
		view, form := h.pressFollowUp(bob, team, results.TS, "pulse.decide")
		if form.CallbackID != "decision.new" {
			t.Fatalf("opened %q, want the decision form", form.CallbackID)
		}
		if got := form.initial(t, "title"); got != "Follow-up to pulse P-1: What slows us down?" {
			t.Errorf("title %q", got)
		}
		rationale := form.initial(t, "rationale")
		if !strings.HasPrefix(rationale, summary) || !strings.HasSuffix(rationale, link) {
			t.Errorf("rationale %q, want %q + a link to %s", rationale, summary, link)
		}
		if form.initial(t, "decision") != "" || !strings.Contains(form.PrivateMetadata, `"c":"`+team+`"`) || !strings.Contains(form.PrivateMetadata, link) {
			t.Errorf("decision text %q, metadata %s", form.initial(t, "decision"), form.PrivateMetadata)
		}
		t.Run("ErrBlankDecision", func(t *testing.T) {
			// Slack's client insists on something in the field: blanks.
			blank := map[string]map[string]any{"decision": {"value": fakeslack.TextValue(" \n ")}}
			if msg := viewFieldError(t, h.submitView(bob, view.ID, blank), "decision"); !strings.Contains(msg, "required") {
				t.Fatalf("error %q", msg)
			}
			if ds := h.exportJSON(); len(ds) != 0 {
				t.Fatalf("a refused form recorded %d decisions", len(ds))
			}
		})
		if payload := h.submitView(bob, view.ID, map[string]map[string]any{"decision": {"value": fakeslack.TextValue("Quarantine flaky tests until they pass ten runs in a row.")}}); payload != nil {
			t.Fatalf("the form was refused: %v", payload)
		}
		h.waitCards(team, 1)
		ds := h.exportJSON()
		if len(ds) != 1 {
			t.Fatalf("%d decisions, want 1", len(ds))
		}
		d := ds[0]
		if d["title"] != "Follow-up to pulse P-1: What slows us down?" || d["channel_id"] != team || d["owner_id"] != bob ||
			!strings.HasSuffix(fmt.Sprint(d["source"]), link) || !strings.HasPrefix(fmt.Sprint(d["rationale"]), summary) {
			t.Fatalf("decision %v", d)
		}
	})

	t.Run("ReportABlocker", func(t *testing.T) {
		view, form := h.pressFollowUp(bob, team, results.TS, "pulse.blocker")
		if form.CallbackID != "blocker.new" {
			t.Fatalf("opened %q, want the blocker form", form.CallbackID)
		}
		want := "Follow-up to pulse P-1: What slows us down?\n\n" + summary
		if got := form.initial(t, "blocker"); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, link) {
			t.Errorf("blocker text %q, want %q + a link to %s", got, want, link)
		}
		t.Run("ErrNobodyToAct", func(t *testing.T) {
			viewFieldError(t, h.submitView(bob, view.ID, nil), "parties")
			if bs := h.exportBlockers(); len(bs) != 0 {
				t.Fatalf("a refused form recorded %d blockers", len(bs))
			}
		})
		if payload := h.submitView(bob, view.ID, map[string]map[string]any{"parties": {"value": fakeslack.MultiUsersValue("U0ENG01")}}); payload != nil {
			t.Fatalf("the form was refused: %v", payload)
		}
		h.waitFor("the blocker", func() bool { return len(h.exportBlockers()) == 1 })
		b := h.exportBlockers()[0]
		if b["channel_id"] != team || b["reporter_id"] != bob || !strings.HasSuffix(fmt.Sprint(b["source"]), link) ||
			!strings.HasPrefix(fmt.Sprint(b["text"]), want) {
			t.Fatalf("blocker %v", b)
		}
	})

	t.Run("ErrNotInThePulsesChannel", func(t *testing.T) {
		// Eve sees the results in #general (the pulse's channel is
		// public), but is not in #team, where a follow-up goes.
		reply := h.pulseReply(eve, general, "results P-1")
		if !strings.Contains(reply, "Top themes") {
			t.Fatalf("results shown to Eve: %q", reply)
		}
		eph := fs.Ephemerals(eve)
		opened := len(fs.Calls("views.open"))
		if _, err := fs.BlockAction(context.Background(), fakeslack.Action{User: eve, Channel: general, MessageTS: eph[len(eph)-1].TS, ActionID: "pulse.decide"}); err != nil {
			t.Fatal(err)
		}
		refusal := h.waitEphemeral(eve, len(eph)+1)
		if !strings.Contains(refusal, "Only members of <#C0TEAM>, where P-1 was asked, can record a decision or report a blocker") {
			t.Fatalf("refusal %q", refusal)
		}
		if n := len(fs.Calls("views.open")); n != opened {
			t.Fatalf("a form opened for Eve")
		}
	})

	t.Run("FromResultsShownOnRequest", func(t *testing.T) {
		// /pulse results shows the same buttons; a member pressing them
		// elsewhere still records in the pulse's channel.
		h.pulseReply(bob, team, "results P-1")
		eph := fs.Ephemerals(bob)
		_, form := h.pressFollowUp(bob, team, eph[len(eph)-1].TS, "pulse.decide")
		if !strings.HasSuffix(form.initial(t, "rationale"), link) {
			t.Fatalf("the form from an ephemeral does not link the posted results: %q", form.initial(t, "rationale"))
		}
	})
}

func TestPulseFollowUpBelowThresholdRevealsNothing(t *testing.T) {
	_, h, humans := pulseWorld(t)
	results := h.textPulseWith(humans, "P-1", 1, "4", "Secret deploy pain", "secret deploy pain again", "deploy")
	text := messageText(results)
	if !strings.Contains(text, "The answers are not shown") || strings.Contains(text, "Top themes") || strings.Contains(text, "deploy") {
		t.Fatalf("results below the threshold:\n%s", text)
	}
	for field, action := range map[string]string{"rationale": "pulse.decide", "blocker": "pulse.blocker"} {
		_, form := h.pressFollowUp(bob, team, results.TS, action)
		got := form.initial(t, field)
		if !strings.Contains(got, "3 of 10 answered (30%), anonymous.\nThe answers are not shown: 3 people answered, fewer than its anonymity threshold of 4.") ||
			strings.Contains(strings.ToLower(got), "deploy") || strings.Contains(strings.ToLower(got), "secret") || strings.Contains(got, "theme") {
			t.Fatalf("%s's form reveals answers: %q", action, got)
		}
	}
}

func TestPulseFollowUpLongQuestionFitsTheForms(t *testing.T) {
	_, h, humans := pulseWorld(t)
	question := strings.Repeat("é😀", 150) // the longest question, in characters of several bytes
	h.sendPulse(ann, team, "", pulseValues(question, "threshold", fakeslack.TextValue("3")))
	for _, u := range humans[2:5] {
		h.answer(u, "P-1", 4, "*5")
	}
	h.pulseReply(ann, team, "close P-1")
	results := h.resultsMessage(team, 1)
	_, form := h.pressFollowUp(bob, team, results.TS, "pulse.decide")
	title := form.initial(t, "title")
	if n := utf8.RuneCountInString(title); n != 150 || !utf8.ValidString(title) || !strings.HasSuffix(title, "…") {
		t.Fatalf("title of %d characters: %q", n, title)
	}
	if r := form.initial(t, "rationale"); !strings.Contains(r, "Mean 5.0 out of 5.") || !strings.Contains(r, question) {
		t.Fatalf("rationale %q", r)
	}
	_, form = h.pressFollowUp(bob, team, results.TS, "pulse.blocker")
	if b := form.initial(t, "blocker"); !strings.HasPrefix(b, title+"\n\n") {
		t.Fatalf("blocker text %q", b)
	}
}
