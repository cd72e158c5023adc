package rituals_test

import (
	"slices"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// A leadership channel's roll-up: each named public team's week, its
// blockers that wait on other teams, the teams whose figures moved most,
// and nothing of a private channel. It goes out with the leadership
// channel's own digest, and only there.
func TestRollup(t *testing.T) {
	w := newWorld(t)
	hooks := newHooks(w)
	const lead = "C9"
	for _, ch := range []rituals.Channel{
		{Team: team, ID: channel, Name: "payments"}, {Team: team, ID: "C2", Name: "platform"},
		{Team: team, ID: "C3", Name: "secret", Private: true}, {Team: team, ID: lead, Name: "leads"},
	} {
		if err := w.db.SaveChannel(w.ctx, ch, friday); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.digests.SetRollup(w.ctx, callerIn("U1", lead), nil, false); rituals.ErrorCode(err) != rituals.EINVALID {
		t.Fatalf("a roll-up of nothing: %v, want EINVALID", err)
	}
	if _, err := w.digests.SetRollup(w.ctx, callerIn("U1", lead), []string{"C2", channel, "C3", "C2"}, false); err != nil {
		t.Fatal(err)
	}

	// C2 waits on a user group; C1's deploys went from 1 to 4.
	must(w.blockers.Report(w.ctx, callerIn("U2", "C2"), rituals.BlockerInput{Text: "Need a DNS change", NeededBy: "2026-03-10",
		Parties: []rituals.Party{{Kind: rituals.PartyGroup, ID: "S1", Name: "infra", Members: []string{"U3"}}}}))(t)
	must(w.blockers.Report(w.ctx, callerIn("U2", "C2"), rituals.BlockerInput{Text: "Review our RFC", NeededBy: "2026-03-10",
		Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U1"}}}))(t)
	h := must(hooks.Connect(w.ctx, caller("U1"), rituals.HookEvents))(t)
	end := friday.AddDate(0, 0, 7)
	for i, at := range []time.Time{end.AddDate(0, 0, -9), end.AddDate(0, 0, -3), end.AddDate(0, 0, -3), end.AddDate(0, 0, -2), end.AddDate(0, 0, -1)} {
		e := rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: string(rune('a' + i)), At: at, OK: true}
		if err := hooks.Receive(w.ctx, h, e.Ref, e); err != nil {
			t.Fatal(err)
		}
	}
	w.sent(t)

	r, err := w.digests.BuildRollup(w.ctx, team, rituals.DigestRef{Channel: lead, End: end.UnixMilli(), Zone: rituals.StoredZone("UTC")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tm := range r.Teams {
		got = append(got, tm.Channel)
	}
	if !slices.Equal(got, []string{channel, "C2"}) || !slices.Equal(r.Left, []string{"C3"}) {
		t.Fatalf("teams %v, left out %v; want C1 and C2, and the private C3 left out", got, r.Left)
	}
	if c2 := r.Teams[1]; len(c2.Digest.Open) != 2 || c2.CrossTeam != 1 {
		t.Errorf("C2: %d open, %d cross-team; want 2 and 1 (the group's)", len(c2.Digest.Open), c2.CrossTeam)
	}
	if len(r.MovedMost) != 1 || r.MovedMost[0].Channel != channel || r.MovedMost[0].Move.Metric != "Deploys" ||
		r.MovedMost[0].Move.Before != 1 || r.MovedMost[0].Move.After != 4 {
		t.Errorf("moved most %+v, want C1's deploys 1 → 4", r.MovedMost)
	}

	if _, err := w.digests.PostNow(w.ctx, callerIn("U1", lead)); err != nil {
		t.Fatal(err)
	}
	if got := kinds(w.sent(t)); !slices.Equal(got, strs(rituals.KindDigest, rituals.KindDigestChart, rituals.KindDigestRollup)) {
		t.Fatalf("the leadership channel's digest sent %v, want digest, chart and roll-up", got)
	}
	if _, err := w.digests.PostNow(w.ctx, caller("U1")); err != nil {
		t.Fatal(err)
	}
	if got := kinds(w.sent(t)); !slices.Equal(got, strs(rituals.KindDigest, rituals.KindDigestChart)) {
		t.Fatalf("a team's digest sent %v, want digest and chart only", got)
	}
	// all: every channel with a digest, the private one left out.
	for _, ch := range []string{"C2", "C3"} {
		if _, err := w.digests.SetSchedule(w.ctx, callerIn("U1", ch), rituals.WeeklyTime{Days: []time.Weekday{time.Friday}, Hour: 16, Zone: "UTC"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.digests.SetRollup(w.ctx, callerIn("U1", lead), nil, true); err != nil {
		t.Fatal(err)
	}
	all, err := w.digests.BuildRollup(w.ctx, team, rituals.DigestRef{Channel: lead, End: end.UnixMilli(), Zone: rituals.StoredZone("UTC")})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Teams) != 1 || all.Teams[0].Channel != "C2" || !slices.Equal(all.Left, []string{"C3"}) {
		t.Fatalf("all: %d teams %+v, left out %v; want C2 only, C3 left out", len(all.Teams), all.Teams, all.Left)
	}
	if err := w.digests.RollupOff(w.ctx, callerIn("U1", lead)); err != nil {
		t.Fatal(err)
	}
	if err := w.digests.RollupOff(w.ctx, callerIn("U1", lead)); rituals.ErrorCode(err) != rituals.ENOTFOUND {
		t.Fatalf("off twice: %v, want ENOTFOUND", err)
	}
}
