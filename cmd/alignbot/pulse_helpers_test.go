package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

// pulseStart is a Wednesday afternoon in UTC: working hours in Berlin,
// New York and UTC alike, so reminders a day later go out at once.
var pulseStart = time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)

// team is the channel pulse tests ask: people besides the standard cast,
// plus a bot and a deactivated account that must never be asked.
const (
	team       = "C0TEAM"
	otherBot   = "U0HELPER"
	deactived  = "U0GONE"
	groupEng   = "S0ENG"
	groupPM    = "S0PM"
	groupOps   = "S0OPS"
	mentionEng = "<!subteam^S0ENG|@eng>"
)

// addPeople adds n people named prefix01… to the workspace.
func addPeople(fs *fakeslack.Server, prefix string, n int) []string {
	var ids []string
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("U0%s%02d", strings.ToUpper(prefix), i)
		fs.AddUser(fakeslack.User{ID: id, Name: fmt.Sprintf("%s%02d", prefix, i)})
		ids = append(ids, id)
	}
	return ids
}

// pulseWorld is the standard world plus #team: eng01–03, pm01–03 and
// ops01–02, Ann and Bob, a bot and a deactivated account; user groups
// @eng, @pm and @ops. The clock starts at pulseStart.
func pulseWorld(t *testing.T) (*fakeslack.Server, *harness, []string) {
	t.Helper()
	fs := newWorld(t)
	eng, pm, ops := addPeople(fs, "eng", 3), addPeople(fs, "pm", 3), addPeople(fs, "ops", 2)
	fs.AddUser(fakeslack.User{ID: otherBot, Name: "helper", IsBot: true})
	fs.AddUser(fakeslack.User{ID: deactived, Name: "gone", Deleted: true})
	fs.AddUserGroup(groupEng, "eng", eng...)
	fs.AddUserGroup(groupPM, "pm", append(pm, otherBot)...)
	fs.AddUserGroup(groupOps, "ops", ops...)
	humans := append(append(append([]string{ann, bob}, eng...), pm...), ops...)
	fs.AddChannel(fakeslack.Channel{ID: team, Name: "team", Members: append(append([]string{fs.BotUserID()}, humans...), otherBot, deactived)})
	h := startBot(t, fs)
	h.clock.Set(pulseStart)
	return fs, h, humans
}

// openPulseForm runs /pulse text as user in channel and returns the form.
func (h *harness) openPulseForm(user, channel, text string) fakeslack.View {
	h.t.Helper()
	before := len(h.fs.Views(user))
	h.slash(user, channel, "/pulse", text)
	h.waitFor("the pulse form", func() bool { return len(h.fs.Views(user)) > before })
	v, _ := h.fs.TopView(user)
	if v.CallbackID != "pulse.new" {
		h.t.Fatalf("opened %q, want the pulse form", v.CallbackID)
	}
	return v
}

// pulseValues are form values: a question with the form's defaults for
// the rest, changed by pairs of field and state.
func pulseValues(question string, more ...any) map[string]map[string]any {
	v := map[string]map[string]any{"question": {"value": fakeslack.TextValue(question)}}
	for i := 0; i+1 < len(more); i += 2 {
		v[more[i].(string)] = map[string]any{"value": more[i+1]}
	}
	return v
}

// sendPulse opens the form as user in channel (with text after /pulse),
// submits it and checks it was taken.
func (h *harness) sendPulse(user, channel, text string, values map[string]map[string]any) {
	h.t.Helper()
	if payload := h.submitView(user, h.openPulseForm(user, channel, text).ID, values); payload != nil {
		h.t.Fatalf("the form was refused: %v", payload)
	}
}

// prompts returns the DMs asking user to answer pulse id.
func (h *harness) prompts(user, id string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range h.fs.DMs(user) {
		if strings.HasPrefix(m.Text, "Pulse "+id+":") {
			out = append(out, m)
		}
	}
	return out
}

// waitPrompt waits for user's DM asking pulse id.
func (h *harness) waitPrompt(user, id string) fakeslack.Message {
	h.t.Helper()
	h.waitFor(user+"'s DM for "+id, func() bool { return len(h.prompts(user, id)) > 0 })
	return h.prompts(user, id)[0]
}

// waitPrompts waits until each of users has their DM for pulse id.
func (h *harness) waitPrompts(id string, users ...string) {
	h.t.Helper()
	for _, u := range users {
		h.waitPrompt(u, id)
	}
}

// answer clicks choice i in user's DM for pulse id and waits until the DM
// shows an answer, with want in it.
func (h *harness) answer(user, id string, i int, want string) {
	h.t.Helper()
	m := h.waitPrompt(user, id)
	if _, err := h.fs.BlockAction(context.Background(), fakeslack.Action{User: user, Channel: h.fs.DMChannel(user),
		MessageTS: m.TS, ActionID: fmt.Sprintf("pulse.answer.%d", i)}); err != nil {
		h.t.Fatal(err)
	}
	h.waitAnswerShown(user, id, want)
}

// answerText answers pulse id in the form its DM opens.
func (h *harness) answerText(user, id, text string) {
	h.t.Helper()
	m := h.waitPrompt(user, id)
	before := len(h.fs.Views(user))
	if _, err := h.fs.BlockAction(context.Background(), fakeslack.Action{User: user, Channel: h.fs.DMChannel(user),
		MessageTS: m.TS, ActionID: "pulse.answer.form"}); err != nil {
		h.t.Fatal(err)
	}
	h.waitFor(user+"'s answer form", func() bool { return len(h.fs.Views(user)) > before })
	v, _ := h.fs.TopView(user)
	if payload := h.submitView(user, v.ID, map[string]map[string]any{"answer": {"value": fakeslack.TextValue(text)}}); payload != nil {
		h.t.Fatalf("answer refused: %v", payload)
	}
	h.waitAnswerShown(user, id, text)
}

// waitAnswerShown waits until user's DM for pulse id shows want as their
// answer.
func (h *harness) waitAnswerShown(user, id, want string) {
	h.t.Helper()
	h.waitFor(user+"'s answer shown", func() bool {
		ms := h.prompts(user, id)
		if len(ms) == 0 {
			return false
		}
		text := messageText(ms[0])
		i := strings.Index(text, "Your answer:")
		return i >= 0 && strings.Contains(text[i:], want)
	})
}

// results waits for the n-th pulse results message in channel.
func (h *harness) results(channel string, n int) string {
	h.t.Helper()
	find := func() []string {
		var out []string
		for _, m := range h.botMessages(channel) {
			if strings.Contains(m.Text, "results:") {
				out = append(out, messageText(m))
			}
		}
		return out
	}
	h.waitFor(fmt.Sprintf("results #%d in %s", n, channel), func() bool { return len(find()) >= n })
	return find()[n-1]
}

// exportPulses returns `alignbot export pulses --format json`, decoded.
func (h *harness) exportPulses() []map[string]any {
	h.t.Helper()
	var ps []map[string]any
	if err := json.Unmarshal([]byte(h.export("pulses", "--format", "json")), &ps); err != nil {
		h.t.Fatal(err)
	}
	return ps
}

func noPulses(t *testing.T, h *harness) {
	t.Helper()
	if ps := h.exportPulses(); len(ps) != 0 {
		t.Fatalf("%d pulses recorded, want none", len(ps))
	}
}

// pulseReply runs /pulse text as user in channel and returns the reply
// only they see.
func (h *harness) pulseReply(user, channel, text string) string {
	h.t.Helper()
	n := len(h.fs.Ephemerals(user))
	h.slash(user, channel, "/pulse", text)
	return h.waitEphemeral(user, n+1)
}
