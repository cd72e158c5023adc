package render

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// The domain values of the surface catalogue (allSurfaces): text in every
// field a person fills in, IDs as Slack gives them, and every state a
// renderer tells apart. Each field holds as much of the text as the
// domain lets it hold (fit), and a field the domain requires is never
// blank (need): the renderers must be right for every value the domain
// can hold, at both ends.

// maxName is the longest name Slack gives a person, channel or group;
// maxPermalink a generous bound on a message's permalink.
const (
	maxName      = 80
	maxPermalink = 200
)

// fit is text cut to a field's limit.
func fit(text string, max int) string {
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	return string([]rune(text)[:max])
}

// need is fit for a field the domain requires: blank text becomes "x".
func need(text string, max int) string {
	if strings.TrimSpace(text) == "" {
		return "x"
	}
	return fit(text, max)
}

func textDecision(text string, status rituals.DecisionStatus) *rituals.Decision {
	d := &rituals.Decision{
		Team: "T1", Number: 12, Date: "2026-04-01", Title: need(text, rituals.MaxTitle), Text: need(text, rituals.MaxDecisionText),
		Rationale: fit(text, rituals.MaxRationale), Impact: fit(text, rituals.MaxImpact),
		Links: []string{need(text, rituals.MaxLinkLength), "https://tracker.example/RFC-7"}, Owner: "U0ANN", OwnerName: need(text, maxName),
		Author: "U0ANN", Channel: "C0PLAT", Status: status, Version: 2, Area: need(text, 40), Source: fit(text, rituals.MaxLinkLength),
		RevisitBy: "2026-10-01",
		CreatedAt: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC),
	}
	if status == rituals.StatusProposed {
		d.DecideBy = "2026-04-15"
	}
	return d
}

// textParties are who must act on a blocker: a user group, a person and a
// channel, the group's handle and the channel's name as typed.
func textParties(text string) []rituals.Party {
	return []rituals.Party{
		{Kind: rituals.PartyGroup, ID: "S0DATA", Name: need(text, maxName), Members: []string{"U0BOB", "U0CAT"}},
		{Kind: rituals.PartyUser, ID: "U0BOB"},
		{Kind: rituals.PartyChannel, ID: "C0DATA", Name: need(text, maxName)},
	}
}

func textBlocker(text string) *rituals.Blocker {
	reported := blockerNow.Add(-80 * time.Hour)
	return &rituals.Blocker{
		Team: "T1", Number: 7, Channel: "C0PLAT", Text: need(text, rituals.MaxBlockerText), Impact: fit(text, rituals.MaxBlockerText),
		Source: fit(text, rituals.MaxLinkLength), Reporter: "U0ANN", ReporterName: need(text, maxName), Parties: textParties(text),
		Acks: []rituals.Ack{{User: "U0CAT", At: blockerNow.Add(-time.Hour)}}, NeededBy: "2026-11-27",
		OverdueAt: blockerNow.Add(-12 * time.Hour), EscalatedAt: blockerNow.Add(-8 * time.Hour),
		Status: rituals.BlockerOpen, CreatedAt: reported, UpdatedAt: reported,
	}
}

// textCheckin is an open check-in whose agenda carries a blocker and a
// proposal, and an answer to it with a blocker and a decision line.
func textCheckin(text string) (*rituals.Checkin, rituals.CheckinAnswer) {
	at := blockerNow.Add(-2 * time.Hour)
	chk := &rituals.Checkin{
		Team: "T1", Channel: "C0PLAT", ScheduledFor: at, OpenedAt: at, ClosesAt: at.Add(24 * time.Hour),
		Zone: rituals.StoredZone("Europe/Berlin"), NextDue: "2026-12-05", Members: 4,
		Agenda: rituals.Agenda{
			Blockers: []rituals.AgendaBlocker{{Number: 8, Text: need(text, rituals.MaxBlockerText), Since: at.Add(-50 * time.Hour),
				Parties: textParties(text)}},
			Decisions: []rituals.AgendaDecision{{Number: 20, Title: need(text, rituals.MaxTitle), OwnerName: need(text, maxName),
				DecideBy: "2026-11-27", Overdue: true}},
		},
	}
	answer := rituals.CheckinAnswer{
		Team: "T1", Channel: "C0PLAT", ScheduledFor: at, User: "U0BOB", Outcomes: need(text, rituals.MaxOutcomes), AnsweredAt: at.Add(time.Hour),
		Blockers:  []rituals.BlockerLine{{Text: need(text, rituals.MaxBlockerText), Parties: textParties(text)}},
		Decisions: []string{need(text, rituals.MaxTitle)},
	}
	return chk, answer
}

// inboundCheckin is textCheckin with, in part 2, blockers other channels
// need from it: one past its SLA, one escalated twice, one private.
func inboundCheckin(text string) *rituals.Checkin {
	chk, _ := textCheckin(text)
	for i := range 12 {
		b := rituals.AgendaBlocker{Number: int64(30 + i), Text: need(text, rituals.MaxBlockerText), Since: chk.OpenedAt.Add(-time.Duration(i) * 24 * time.Hour),
			Parties: textParties(text), From: "C0PAY", SLA: 72 * time.Hour}
		switch i % 3 {
		case 1:
			b.EscalatedAt, b.ClimbedAt, b.ClimbedTo = chk.OpenedAt, chk.OpenedAt, "U0LEAD"
		case 2:
			b = rituals.AgendaBlocker{Number: b.Number, Since: b.Since, Hidden: true, SLA: b.SLA}
		}
		chk.Agenda.Inbound = append(chk.Agenda.Inbound, b)
	}
	return chk
}

// actionsCheckin is textCheckin with, in part 3, more action items than
// it lists: an unowned change first, every third overdue.
func actionsCheckin(text string) *rituals.Checkin {
	chk, _ := textCheckin(text)
	chk.Agenda.Actions = []rituals.AgendaAction{{Session: 3, Item: 1, Text: need(text, rituals.MaxItemText)}}
	for i := range 40 {
		chk.Agenda.Actions = append(chk.Agenda.Actions, rituals.AgendaAction{Session: 4, Item: int64(i + 1), Text: need(text, rituals.MaxItemText),
			Owner: "U0BOB", OwnerName: need(text, maxName), Due: "2026-11-27", Overdue: i%3 == 0})
	}
	return chk
}

// inboundWeek is a digest's blockers other teams need from its channel:
// more than a list shows.
func inboundWeek(text string) rituals.BlockerWeek {
	var w rituals.BlockerWeek
	for i := range 7 {
		b := textBlocker(text)
		b.Number, b.Channel, b.CreatedAt, b.SLA = int64(40+i), "C0PAY", digestEnd.Add(-time.Duration(i+1)*24*time.Hour), 72*time.Hour
		if i%2 == 1 {
			b.ChannelPrivate = true
			b = b.SeenFrom("C0PLAT")
		}
		w.Opened, w.Open = append(w.Opened, b), append(w.Open, b)
	}
	w.Resolved = w.Opened[:1]
	return w
}

func textPulse(text string, kind rituals.PulseKind) *rituals.Pulse {
	sent := sessionOpened
	p := &rituals.Pulse{
		Team: "T1", Number: 3, Series: 3, Run: 2, Channel: "C0PLAT", CreatedBy: "U0ANN", Question: need(text, rituals.MaxPulseQuestion),
		Kind: kind, ScaleLow: fit(text, rituals.MaxScaleLabel), ScaleHigh: fit(text, rituals.MaxScaleLabel),
		Audience: rituals.AudienceChannel, Anonymous: true, Threshold: 3,
		OpenFor: 48 * time.Hour, Repeat: rituals.RepeatWeekly, Status: rituals.PulseOpen,
		CreatedAt: sent, SentAt: sent, ClosesAt: sent.Add(48 * time.Hour),
	}
	if kind == rituals.PulseChoice {
		p.Options = []string{need(text, rituals.MaxPulseOption-1), need(text, rituals.MaxPulseOption-1) + "2"}
	}
	return p
}

// textReport is the closed p's results, with roles and a gap between
// them, free-text answers, and a previous run; shown is whether the whole
// audience passed the anonymity threshold.
func textReport(text string, open *rituals.Pulse, shown bool) *rituals.PulseReport {
	p := *open
	p.Status, p.ClosedAt = rituals.PulseClosed, p.ClosesAt
	counts := make([]int, len(p.Choices()))
	for i := range counts {
		counts[i] = i + 1
	}
	if p.Kind == rituals.PulseText {
		counts = nil
	}
	group := func(role string) rituals.PulseGroup {
		return rituals.PulseGroup{Role: role, Asked: 10, Answered: 7, Shown: shown, Counts: counts, Mean: 3.2}
	}
	role := need(text, rituals.MaxRoleName-1)
	gap := &rituals.PulseGap{Choice: -1, High: role, Low: role + "2", HighValue: 4, LowValue: 2}
	if p.Kind == rituals.PulseChoice {
		gap.Choice, gap.HighValue, gap.LowValue = 0, 0.8, 0.2
	}
	prev := &rituals.Pulse{Number: 2, Kind: p.Kind, Options: p.Options}
	var themes []rituals.PulseTheme
	if p.Kind == rituals.PulseText && shown {
		for i := range rituals.MaxPulseThemes {
			themes = append(themes, rituals.PulseTheme{Word: need(text, 30), Answers: 7 - i, Example: need(text, rituals.MaxThemeExample)})
		}
	}
	return &rituals.PulseReport{
		Themes: themes,
		Pulse:  &p, All: group(""), Roles: []rituals.PulseGroup{group(role), group(role + "2")}, HeldBack: 1, Gap: gap,
		Texts:    []rituals.TextAnswer{{Text: need(text, rituals.MaxPulseAnswer)}, {Text: need(text, rituals.MaxPulseAnswer), User: "U0BOB"}},
		Previous: &rituals.PulseReport{Pulse: prev, All: rituals.PulseGroup{Asked: 9, Answered: 6, Shown: true, Counts: counts, Mean: 2.9}},
	}
}

// textSession is an open pre-mortem or retro with an item of every kind
// and state: voted and rated, anonymous, from a thread reply, owned, made
// a blocker, done.
func textSession(text string, kind rituals.SessionKind) *rituals.Session {
	s := &rituals.Session{
		Team: "T1", Number: 4, Kind: kind, Name: need(text, rituals.MaxSessionName), Channel: "C0PLAT", Creator: "U0ANN",
		CreatorName: need(text, maxName),
		Status:      rituals.SessionOpen, CreatedAt: sessionOpened, ClosesAt: sessionOpened.Add(48 * time.Hour),
	}
	if kind == rituals.SessionPremortem {
		s.LaunchOn = "2026-12-10"
	}
	kinds := kind.Kinds()
	for i := range 5 {
		it := &rituals.Item{
			Team: "T1", Session: 4, Number: int64(i + 1), Kind: kinds[i%len(kinds)], Text: need(text, rituals.MaxItemText), Author: "U0BOB",
			Votes: 5 - i, CreatedAt: sessionOpened.Add(time.Duration(i) * time.Minute), SessionKind: kind, SessionName: s.Name, Channel: "C0PLAT",
		}
		switch i {
		case 0:
			it.Likelihood, it.Impact, it.Tag = rituals.LevelHigh, rituals.LevelHigh, rituals.TagTiger
			it.Owner, it.OwnerName, it.Due, it.AssignedBy = "U0CAT", need(text, maxName), "2026-12-01", "U0ANN"
		case 1:
			it.Author, it.Anonymous, it.Tag = "", true, rituals.TagElephant
		case 2:
			it.SourceTS, it.Blocker = "1700000100.000200", 9
		case 3:
			it.Owner, it.Due, it.DoneAt, it.DoneBy = "U0BOB", "2026-11-30", sessionOpened.Add(time.Hour), "U0BOB"
		}
		s.Items = append(s.Items, it)
	}
	return s
}

// textDigest is a week with an entry of every kind.
func textDigest(text string) *rituals.Digest {
	day := 24 * time.Hour
	ago := func(d time.Duration) time.Time { return digestEnd.Add(-d) }
	decision := func(n int64, status rituals.DecisionStatus) *rituals.Decision {
		d := textDecision(text, status)
		d.Number, d.CreatedAt, d.DecidedAt = n, ago(6*day), ago(2*day)
		return d
	}
	blocker := func(n int64) *rituals.Blocker {
		b := textBlocker(text)
		b.Number, b.CreatedAt, b.ResolvedAt = n, ago(3*day), ago(day)
		return b
	}
	report := func(kind rituals.PulseKind, shown bool) *rituals.PulseReport {
		r := textReport(text, textPulse(text, kind), shown)
		r.Pulse.ClosedAt = ago(day)
		return r
	}
	item := func(kind rituals.ItemKind) *rituals.Item {
		return &rituals.Item{Session: 4, Number: 2, Kind: kind, Text: need(text, rituals.MaxItemText), Owner: "U0EVE", OwnerName: need(text, maxName), Due: "2026-12-04",
			Votes: 4, Likelihood: rituals.LevelMedium, Impact: rituals.LevelHigh, Tag: rituals.TagTiger}
	}
	var decided []*rituals.Decision
	for i := range 7 { // more than a list shows: "Show all"
		decided = append(decided, decision(int64(10+i), rituals.StatusDecided))
	}
	return &rituals.Digest{
		Team: "T1", Channel: "C0PLAT", Zone: rituals.StoredZone("Europe/Berlin"), From: ago(7 * day), To: digestEnd, Today: "2026-11-27",
		Decided: decided, Due: []*rituals.Decision{decision(9, rituals.StatusProposed)},
		Opened: []*rituals.Blocker{blocker(7)}, Resolved: []*rituals.Blocker{blocker(5)}, Open: []*rituals.Blocker{blocker(2)},
		Checkin: &rituals.Checkin{Channel: "C0PLAT", ScheduledFor: ago(2 * day), ClosedAt: ago(day), Zone: rituals.StoredZone("Europe/Berlin"), Members: 4, Answered: 3},
		Pulses: []*rituals.PulseReport{report(rituals.PulseScale, true), report(rituals.PulseYesNo, true),
			report(rituals.PulseChoice, true), report(rituals.PulseText, true), report(rituals.PulseScale, false)},
		Actions:       []*rituals.Item{item(rituals.ItemChange)},
		Risks:         []*rituals.Item{item(rituals.ItemFailure)},
		LeadTime:      rituals.Metric[time.Duration]{Value: 4 * day, Before: 2 * day, Has: true, HadBefore: true},
		TimeToResolve: rituals.Metric[time.Duration]{Value: 7 * day, Has: true},
		Participation: rituals.Metric[float64]{Value: 0.75, Before: 0.5, Has: true, HadBefore: true},
		ResponseRate:  rituals.Metric[float64]{Value: 0.6, Before: 0.7, Has: true, HadBefore: true},
	}
}

// textHome is App Home with an entry of every kind, hidden ones included.
func textHome(text string) *rituals.Home {
	proposal := textDecision(text, rituals.StatusProposed)
	hidden := textDecision(text, rituals.StatusProposed)
	hidden.Number, hidden.Channel, hidden.ChannelPrivate = 15, "G0SECRET", true
	b := textBlocker(text)
	pulse := textPulse(text, rituals.PulseScale)
	checkin, _ := textCheckin(text)
	retro := textSession(text, rituals.SessionRetro)
	parties := textParties(text)
	return &rituals.Home{
		Team: "T1", User: "U0ANN", At: homeAt, Today: "2026-11-28",
		Proposed: rituals.HomeList[*rituals.Decision]{Items: []rituals.HomeItem[*rituals.Decision]{item(proposal, false), item(hidden, true)},
			More: 2, MoreIDs: []string{"D-16", "D-17"}},
		Blockers: rituals.HomeList[rituals.BlockerFor]{Items: []rituals.HomeItem[rituals.BlockerFor]{
			item(rituals.BlockerFor{Blocker: b, Reported: true}, false),
			item(rituals.BlockerFor{Blocker: b, Via: parties[0]}, false),
			item(rituals.BlockerFor{Blocker: b, Via: parties[2]}, false),
			item(rituals.BlockerFor{Blocker: b, Via: parties[1]}, true),
		}},
		Checkins: rituals.HomeList[*rituals.Checkin]{Items: []rituals.HomeItem[*rituals.Checkin]{item(checkin, false)}},
		Pulses:   rituals.HomeList[*rituals.Pulse]{Items: []rituals.HomeItem[*rituals.Pulse]{item(pulse, false), item(pulse, true)}},
		Actions: rituals.HomeList[*rituals.Item]{Items: []rituals.HomeItem[*rituals.Item]{item(retro.Items[0], false), item(retro.Items[0], true)},
			More: 1, MoreIDs: []string{retro.Items[0].Ref()}},
		Held: rituals.HomeList[rituals.HeldReminder]{Items: []rituals.HomeItem[rituals.HeldReminder]{
			item(rituals.HeldReminder{Reminder: rituals.ReminderDue, Decision: proposal}, false),
			item(rituals.HeldReminder{Reminder: rituals.ReminderRevisit, Decision: hidden}, true),
			item(rituals.HeldReminder{Pulse: pulse}, false),
			item(rituals.HeldReminder{Checkin: checkin}, false),
			item(rituals.HeldReminder{Session: retro, Item: retro.Items[0]}, false),
		}},
		Recent: []*rituals.Decision{textDecision(text, rituals.StatusDecided), proposal},
	}
}
