package rituals_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/alignbot/alignbot/rituals"
)

// numbers returns the blockers' numbers, in order.
func numbers(bs []*rituals.Blocker) []int64 {
	out := make([]int64, len(bs))
	for i, b := range bs {
		out[i] = b.Number
	}
	return out
}

// TestBlockersInbound shows which channels receive a blocker: the channel
// it names, and the channels that claimed a group or a person it names;
// never the channel it was reported in, nor a channel it does not concern.
// A private channel's blocker reaches them without its text.
func TestBlockersInbound(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	for _, ch := range []rituals.Channel{{ID: "CPAY", Name: "payments"}, {ID: "CPLAT", Name: "platform"},
		{ID: "CSRE", Name: "sre"}, {ID: "CDATA", Name: "data"}, {ID: "GSEC", Name: "secret", Private: true}} {
		ch.Team = team
		ok(t, w.db.SaveChannel(ctx, ch, friday))
	}
	payments, platform, sre, data := callerIn("U1", "CPAY"), callerIn("U2", "CPLAT"), callerIn("U3", "CSRE"), callerIn("U3", "CDATA")
	secret := callerIn("U1", "GSEC")
	secret.ChannelPrivate = true

	ok(t, w.blockers.Claim(ctx, sre, []rituals.Party{{Kind: rituals.PartyGroup, ID: "SSRE", Name: "sre-team"}}))
	ok(t, w.blockers.Claim(ctx, data, []rituals.Party{{Kind: rituals.PartyUser, ID: "U9"}}))
	b1 := must(w.blockers.Report(ctx, payments, rituals.BlockerInput{Text: "Need a DB migration window",
		Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: "CPLAT"}}}))(t)
	b2 := must(w.blockers.Report(ctx, payments, rituals.BlockerInput{Text: "Need on-call cover",
		Parties: []rituals.Party{{Kind: rituals.PartyGroup, ID: "SSRE", Members: []string{"U3"}}}}))(t)
	b3 := must(w.blockers.Report(ctx, payments, rituals.BlockerInput{Text: "Need the data export",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U9"}}}))(t)
	b4 := must(w.blockers.Report(ctx, secret, rituals.BlockerInput{Text: "Secret vendor contract",
		Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: "CPLAT"}}}))(t)
	b5 := must(w.blockers.Report(ctx, platform, rituals.BlockerInput{Text: "Platform's own",
		Parties: []rituals.Party{{Kind: rituals.PartyChannel, ID: "CPLAT"}}}))(t)

	for _, tc := range []struct {
		name string
		c    rituals.Caller
		want []int64
	}{
		{"NamedChannel", platform, []int64{b1.Number, b4.Number}},
		{"ClaimedGroup", sre, []int64{b2.Number}},
		{"ClaimedPerson", data, []int64{b3.Number}},
		{"NotTheReporters", payments, []int64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := must(w.blockers.Inbound(ctx, tc.c))(t)
			if diff := cmp.Diff(tc.want, numbers(got)); diff != "" {
				t.Fatalf("inbound (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("PrivateHidesText", func(t *testing.T) {
		got := must(w.blockers.Inbound(ctx, platform))(t)
		if hidden := got[1]; !hidden.Hidden() || hidden.Text != "" || hidden.Parties != nil || hidden.Reporter != "" {
			t.Fatalf("a private channel's blocker leaks: %+v", hidden)
		}
		if got[0].Hidden() || got[0].Text != b1.Text {
			t.Fatalf("a public blocker is hidden: %+v", got[0])
		}
	})
	t.Run("OwnListUnchanged", func(t *testing.T) {
		if got := must(w.blockers.List(ctx, platform))(t); len(got) != 1 || got[0].Number != b5.Number {
			t.Fatalf("platform's own list %v, want only B-%d", numbers(got), b5.Number)
		}
	})
	t.Run("CheckinAgenda", func(t *testing.T) {
		chk := must(w.checkins.OpenNow(ctx, platform))(t)
		if got := chk.Agenda.Blockers; len(got) != 1 || got[0].Number != b5.Number {
			t.Fatalf("own part %+v, want only B-%d", got, b5.Number)
		}
		want := []rituals.AgendaBlocker{
			{Number: b1.Number, Text: b1.Text, Since: b1.CreatedAt, Parties: b1.Parties, From: "CPAY", SLA: rituals.DefaultSLA},
			{Number: b4.Number, Since: b4.CreatedAt, Hidden: true, SLA: rituals.DefaultSLA},
		}
		if diff := cmp.Diff(want, chk.Agenda.Inbound); diff != "" {
			t.Fatalf("inbound part (-want +got):\n%s", diff)
		}
		if chk := must(w.checkins.OpenNow(ctx, payments))(t); len(chk.Agenda.Inbound) != 0 {
			t.Fatalf("the reporting channel's agenda lists %d inbound", len(chk.Agenda.Inbound))
		}
	})
	t.Run("Digest", func(t *testing.T) {
		must(w.blockers.Resolve(ctx, callerIn("U9", "CPAY"), b3.Number, "sent"))(t)
		w.clock.Set(friday.Add(time.Hour))
		defer w.clock.Set(friday)
		g := must(w.digests.Preview(ctx, data))(t)
		if len(g.Inbound.Opened) != 1 || len(g.Inbound.Resolved) != 1 || len(g.Inbound.Open) != 0 || len(g.Opened) != 0 {
			t.Fatalf("#data's digest: inbound %d opened, %d resolved, %d open; own %d opened", len(g.Inbound.Opened),
				len(g.Inbound.Resolved), len(g.Inbound.Open), len(g.Opened))
		}
		g = must(w.digests.Preview(ctx, platform))(t)
		if diff := cmp.Diff([]int64{b1.Number, b4.Number}, numbers(g.Inbound.Open)); diff != "" {
			t.Fatalf("#platform's digest, inbound open (-want +got):\n%s", diff)
		}
		if !g.Inbound.Open[1].Hidden() || len(g.Open) != 1 {
			t.Fatalf("#platform's digest: private shown %+v, own open %d", g.Inbound.Open[1], len(g.Open))
		}
		if g := must(w.digests.Preview(ctx, payments))(t); g.Inbound.Any() || len(g.Opened) != 3 {
			t.Fatalf("#payments' digest: inbound %+v, own opened %d", g.Inbound, len(g.Opened))
		}
	})
	t.Run("Unclaim", func(t *testing.T) {
		ok(t, w.blockers.Unclaim(ctx, sre, []rituals.Party{{Kind: rituals.PartyGroup, ID: "SSRE"}}))
		if got := must(w.blockers.Inbound(ctx, sre))(t); len(got) != 0 {
			t.Fatalf("still inbound after unclaiming: %v", numbers(got))
		}
		if err := w.blockers.Unclaim(ctx, sre, []rituals.Party{{Kind: rituals.PartyGroup, ID: "SSRE"}}); rituals.ErrorCode(err) != rituals.ENOTFOUND {
			t.Fatalf("unclaim twice: %v, want ENOTFOUND", err)
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		if err := w.blockers.Claim(ctx, sre, []rituals.Party{{Kind: rituals.PartyChannel, ID: "CPLAT"}}); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("claiming a channel: %v, want EINVALID", err)
		}
		if err := w.blockers.Claim(ctx, sre, nil); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("claiming nobody: %v, want EINVALID", err)
		}
		adminsOnly := sre
		adminsOnly.AdminsOnly = true
		if err := w.blockers.Claim(ctx, adminsOnly, []rituals.Party{{Kind: rituals.PartyGroup, ID: "SX"}}); rituals.ErrorCode(err) != rituals.EFORBIDDEN {
			t.Fatalf("a non-admin claiming: %v, want EFORBIDDEN", err)
		}
		var many []rituals.Party
		for i := range rituals.MaxClaims + 1 {
			many = append(many, rituals.Party{Kind: rituals.PartyUser, ID: "U" + string(rune('A'+i))})
		}
		if err := w.blockers.Claim(ctx, sre, many); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("claiming %d: %v, want EINVALID", len(many), err)
		}
		if got := must(w.blockers.Team(ctx, sre))(t); len(got) != 0 {
			t.Fatalf("a refused claim wrote %v", got)
		}
	})
}

// TestBlockerWatchClimbs shows escalation climbing: past its SLA a blocker
// goes to its parties and reporter, past twice its SLA to its channel's
// escalation target, each once; a channel with no target stops at the
// first level. Every tick runs twice.
func TestBlockerWatchClimbs(t *testing.T) {
	w := newWorld(t)
	ctx := w.ctx
	ok(t, w.blockers.SetSLA(ctx, caller("U1"), 24*time.Hour))
	ok(t, w.blockers.SetEscalationTarget(ctx, caller("U1"), &rituals.Party{Kind: rituals.PartyUser, ID: "ULEAD"}))
	b := must(w.blockers.Report(ctx, caller("U1"), rituals.BlockerInput{Text: "Need prod DB access",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	other := must(w.blockers.Report(ctx, callerIn("U1", "C2"), rituals.BlockerInput{Text: "No target here",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}))(t)
	w.sent(t)

	first := w.tickTwice(t, b.CreatedAt.Add(24*time.Hour))
	if diff := cmp.Diff([]string{"U1", "U2"}, recipients(ofKind(first, rituals.KindBlockerNotice))); diff != "" {
		t.Fatalf("first level told (-want +got):\n%s", diff)
	}
	if got := w.tickTwice(t, b.CreatedAt.Add(48*time.Hour-time.Minute)); len(ofKind(got, rituals.KindBlockerNotice)) > 0 {
		t.Fatalf("climbed before twice the SLA: %q", recipients(got))
	}
	second := w.tickTwice(t, b.CreatedAt.Add(48*time.Hour))
	if diff := cmp.Diff(strs(rituals.KindBlockerCardUpdate, rituals.KindBlockerNotice), kinds(second)); diff != "" {
		t.Fatalf("second level enqueued (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ULEAD"}, recipients(ofKind(second, rituals.KindBlockerNotice))); diff != "" {
		t.Fatalf("second level told (-want +got):\n%s", diff)
	}
	var data rituals.BlockerNoticeData
	decode(t, ofKind(second, rituals.KindBlockerNotice)[0], &data)
	if data.Event != rituals.NoticeClimbed || data.SLA != "1d" {
		t.Fatalf("notice %+v, want climbed past 1d", data)
	}
	got := must(w.db.Blocker(ctx, team, b.Number))(t)
	if got.Level() != rituals.LevelTarget || got.ClimbedTo != "ULEAD" || !got.ClimbedAt.Equal(b.CreatedAt.Add(48*time.Hour)) {
		t.Fatalf("level %d, climbed to %q at %v", got.Level(), got.ClimbedTo, got.ClimbedAt)
	}
	// A month on, only C2's blocker escalates, at its default SLA: it
	// stops there, having no target; the first never goes again.
	later := w.tickTwice(t, b.CreatedAt.Add(30*24*time.Hour))
	if diff := cmp.Diff(strs(rituals.KindBlockerCardUpdate, rituals.KindBlockerNotice, rituals.KindBlockerNotice), kinds(later)); diff != "" {
		t.Fatalf("later ticks enqueued (-want +got):\n%s", diff)
	}
	if got := must(w.db.Blocker(ctx, team, other.Number))(t); got.Level() != rituals.LevelParties {
		t.Fatalf("a blocker of a channel with no target is at level %d, want %d", got.Level(), rituals.LevelParties)
	}

	t.Run("ClearedTarget", func(t *testing.T) {
		ok(t, w.blockers.SetEscalationTarget(ctx, caller("U1"), nil))
		if _, set := must2(w.blockers.EscalationTarget(ctx, caller("U1")))(t); set {
			t.Fatal("target still set after clearing")
		}
		if err := w.blockers.SetEscalationTarget(ctx, caller("U1"), &rituals.Party{Kind: rituals.PartyGroup, ID: "S1"}); rituals.ErrorCode(err) != rituals.EINVALID {
			t.Fatalf("a group target: %v, want EINVALID", err)
		}
	})
}
