package logfile_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

var update = flag.Bool("update", false, "rewrite testdata/export/*.golden.*")

// TestExportGolden writes every export of a set of entries that sets
// every field, and leaves some unset, and compares each with its golden
// file byte for byte: what an operator's scripts read must not drift.
// Run with -update to rewrite the files after a deliberate change.
func TestExportGolden(t *testing.T) {
	for name, write := range map[string]func(*bytes.Buffer) error{
		"decisions.golden.json":  func(b *bytes.Buffer) error { return logfile.WriteDecisionsJSON(b, goldenDecisions()) },
		"decisions.golden.md":    func(b *bytes.Buffer) error { return logfile.WriteDecisionLog(b, goldenDecisions()) },
		"blockers.golden.json":   func(b *bytes.Buffer) error { return logfile.WriteBlockersJSON(b, goldenBlockers()) },
		"blockers.golden.csv":    func(b *bytes.Buffer) error { return logfile.WriteBlockersCSV(b, goldenBlockers()) },
		"checkins.golden.json":   func(b *bytes.Buffer) error { return logfile.WriteCheckinsJSON(b, goldenCheckins()) },
		"checkins.golden.csv":    func(b *bytes.Buffer) error { return logfile.WriteCheckinsCSV(b, goldenCheckins()) },
		"pulses.golden.json":     func(b *bytes.Buffer) error { return logfile.WritePulsesJSON(b, goldenPulses()) },
		"pulses.golden.csv":      func(b *bytes.Buffer) error { return logfile.WritePulsesCSV(b, goldenPulses()) },
		"sessions.golden.json":   func(b *bytes.Buffer) error { return logfile.WriteSessionsJSON(b, goldenSessions()) },
		"empty-decisions.golden": func(b *bytes.Buffer) error { return logfile.WriteDecisionsJSON(b, nil) },
		"empty-blockers.golden":  func(b *bytes.Buffer) error { return logfile.WriteBlockersJSON(b, nil) },
		"empty-checkins.golden":  func(b *bytes.Buffer) error { return logfile.WriteCheckinsJSON(b, nil) },
		"empty-pulses.golden":    func(b *bytes.Buffer) error { return logfile.WritePulsesJSON(b, nil) },
		"empty-sessions.golden":  func(b *bytes.Buffer) error { return logfile.WriteSessionsJSON(b, nil) },
		"rights.golden.md":       func(b *bytes.Buffer) error { return logfile.WriteRightsMarkdown(b, goldenRights()) },
		"rights.golden.json":     func(b *bytes.Buffer) error { return logfile.WriteRightsJSON(b, goldenRights()) },
		"rights.golden.csv":      func(b *bytes.Buffer) error { return logfile.WriteRightsCSV(b, goldenRights()) },
		"empty-rights.golden.md": func(b *bytes.Buffer) error { return logfile.WriteRightsMarkdown(b, nil) },
		"empty-rights.golden":    func(b *bytes.Buffer) error { return logfile.WriteRightsJSON(b, nil) },
		"madr.golden.md": func(b *bytes.Buffer) error {
			rights := map[string]*rituals.Right{"api": {Area: "api", Consulted: []string{"U1", "U2"}, Informed: []string{"C1"},
				Names: map[string]string{"U1": "Bob Ray", "C1": "platform"}}}
			for _, f := range logfile.MADR(goldenDecisions(), rights) {
				b.WriteString("==> " + f.Name + "\n")
				b.Write(f.Content)
			}
			return nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "export", name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != string(want) {
				t.Fatalf("%s changed:\n%s\nwant:\n%s", name, got, want)
			}
		})
	}
}

var goldenAt = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// goldenRights are two areas: one owned by a person with every role
// filled, a name with a pipe and one name never stored; one owned by a
// user group, with nobody else.
func goldenRights() []*rituals.Right {
	return []*rituals.Right{
		{Team: "T1", Area: "payments", Owner: "U1", Responsible: []string{"U2", "C2"}, Consulted: []string{"S1", "U9"},
			Informed: []string{"C1"}, UpdatedBy: "U1", UpdatedAt: goldenAt,
			Names: map[string]string{"U1": "Ann Lee", "U2": "Bob | Ray", "C2": "payments-eng", "S1": "platform-team", "C1": "eng"}},
		{Team: "T1", Area: "release", Owner: "S2", UpdatedBy: "U1", UpdatedAt: goldenAt,
			Names: map[string]string{"S2": "@sre"}},
	}
}

func goldenDecisions() []*rituals.Decision {
	at := goldenAt
	return []*rituals.Decision{
		{Team: "T1", Number: 3, Date: "2026-04-01", Title: "API versioning strategy", Text: "Use semver.\nEverywhere.",
			Rationale: "Compat.", Impact: "Contract tests.", Links: []string{"https://rfc.test/7", "https://rfc.test/8"},
			Source: "https://acme.slack.com/archives/C1/p1", Owner: "U1", OwnerName: "Ann Lee", Author: "U2",
			Channel: "C1", ChannelPrivate: true, Status: rituals.StatusDecided, DecidedAt: at.Add(72 * time.Hour),
			RevisitBy: "2027-04-01", Area: "api", PostedTo: []string{"C2", "C3"}, Supersedes: 1, OwnerZone: rituals.StoredZone("Europe/Paris"),
			Version: 2, CreatedAt: at, UpdatedAt: at.Add(time.Hour)},
		{Team: "T1", Number: 1, Date: "2026-03-01", Title: "Use REST!", Text: "REST.", Owner: "U1",
			Status: rituals.StatusSuperseded, SupersededBy: 3, DecidedAt: at, Version: 1, CreatedAt: at, UpdatedAt: at},
		{Team: "T1", Number: 2, Date: "2026-03-02", Title: "Pick a queue", Text: "SQS or Kafka?", Links: []string{},
			Status: rituals.StatusProposed, DecideBy: "2026-03-20", Version: 1, CreatedAt: at, UpdatedAt: at},
		{Team: "T1", Number: 4, Date: "2026-04-02", Title: "Drop: the cron", Text: "-", OwnerName: "#ops",
			Status: rituals.StatusDropped, Version: 1, CreatedAt: at, UpdatedAt: at},
	}
}

func goldenBlockers() []*rituals.Blocker {
	at := goldenAt
	return []*rituals.Blocker{
		{Team: "T1", Number: 1, Text: "=SUM(A1)", Impact: "launch slips", NeededBy: "2026-03-05", DueAt: at.Add(80 * time.Hour),
			Source: "https://acme.slack.com/archives/C1/p2", Reporter: "U1", ReporterName: "Ann", Channel: "C1", ChannelPrivate: true,
			Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}, {Kind: rituals.PartyGroup, ID: "S1", Name: "sre",
				Members: []string{"U3", "U4"}}, {Kind: rituals.PartyChannel, ID: "C9", Name: "infra", Members: []string{}}},
			Acks: []rituals.Ack{{User: "U2", At: at.Add(time.Hour)}}, Status: rituals.BlockerResolved,
			CreatedAt: at, UpdatedAt: at.Add(2 * time.Hour), ResolvedAt: at.Add(2 * time.Hour), ResolvedBy: "U2",
			Resolution: "done", TimeToResolve: 2*time.Hour + 30*time.Second, EscalatedAt: at.Add(time.Minute), OverdueAt: at.Add(time.Second)},
		{Team: "T1", Number: 2, Text: "waiting", Reporter: "U1", Channel: "C1", Status: rituals.BlockerOpen, CreatedAt: at, UpdatedAt: at},
	}
}

func goldenCheckins() []logfile.CheckinRecord {
	at := goldenAt
	return []logfile.CheckinRecord{
		{Checkin: &rituals.Checkin{Team: "T1", Channel: "C1", ScheduledFor: at, OpenedAt: at, ClosesAt: at.Add(24 * time.Hour),
			ClosedAt: at.Add(24 * time.Hour), Zone: rituals.StoredZone("Europe/Paris"), NextDue: "2026-03-09", Members: 5, Answered: 3,
			Agenda: rituals.Agenda{
				Blockers: []rituals.AgendaBlocker{{Number: 1, Text: "waiting", Since: at.Add(-time.Hour),
					Parties: []rituals.Party{{Kind: rituals.PartyGroup, ID: "S1", Name: "sre", Members: []string{"U3"}}}},
					{Number: 2, Text: "no parties", Since: at}},
				Decisions: []rituals.AgendaDecision{{Number: 2, Title: "Pick a queue", Owner: "U1", OwnerName: "Ann",
					DecideBy: "2026-03-05", Overdue: true}}},
			Blockers: []int64{4, 5}, Decisions: []int64{6}},
			Answers: []rituals.CheckinAnswer{{User: "U1", Outcomes: "shipped", Blockers: []rituals.BlockerLine{
				{Text: "need review <@U2>", Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}}}, {Text: "plain"}},
				Decisions: []string{"use Kafka"}, AnsweredAt: at.Add(time.Hour)},
				{User: "U2", Outcomes: "-", AnsweredAt: at.Add(2 * time.Hour)}},
			Replies: []rituals.CheckinReply{{User: "U3", TS: "1.2", Text: "+1", At: at.Add(3 * time.Hour)}}},
		{Checkin: &rituals.Checkin{Team: "T1", Channel: "C2", ScheduledFor: at.Add(-7 * 24 * time.Hour), Skipped: true, Zone: rituals.StoredZone("UTC"),
			Agenda: rituals.Agenda{Blockers: []rituals.AgendaBlocker{}}}},
	}
}

func goldenPulses() []*rituals.PulseReport {
	at := goldenAt
	scale := func(n int64, run int, anonymous bool, named []rituals.PulseAnswer, prev *rituals.PulseReport) *rituals.PulseReport {
		p := &rituals.Pulse{Team: "T1", Number: n, Series: 1, Run: run, Channel: "C1", CreatedBy: "U1", Question: "How was the week?",
			Kind: rituals.PulseScale, Anonymous: anonymous, Threshold: 3, Repeat: rituals.RepeatWeekly, Status: rituals.PulseClosed,
			CreatedAt: at, SentAt: at.Add(time.Hour), ClosedAt: at.Add(49 * time.Hour)}
		var res *rituals.PulseResults
		if anonymous {
			res = &rituals.PulseResults{Tallies: map[string]map[string]int{
				"":    {"1": 1, "3": 2, "4": 2, "5": 3},
				"dev": {"3": 1, "4": 2, "5": 3},
				"pm":  {"1": 1},
			}}
		}
		counts := []rituals.PulseCount{{Role: "dev", Asked: 7, Answered: 6, Others: 6}, {Role: "pm", Asked: 2, Answered: 1, Others: 1},
			{Role: "", Asked: 3, Answered: 1, Others: 1}}
		return rituals.BuildPulseReport(p, counts, res, named, prev)
	}
	first := scale(1, 1, true, nil, nil)
	second := scale(5, 2, true, nil, first)
	named := []rituals.PulseAnswer{{User: "U1", Role: "dev", Value: "4"}, {User: "U2", Role: "pm", Value: "2"}, {User: "U3", Value: "5"}}
	open := &rituals.Pulse{Team: "T1", Number: 6, Series: 6, Run: 1, Channel: "C1", CreatedBy: "U1", Question: "Lunch?",
		Kind: rituals.PulseChoice, Options: []string{"pizza", "-salad"}, Threshold: 3, Status: rituals.PulseOpen,
		CreatedAt: at, SentAt: at.Add(time.Hour)}
	canceled := &rituals.Pulse{Team: "T1", Number: 7, Series: 7, Run: 1, Channel: "C1", CreatedBy: "U1", Question: "Yes?",
		Kind: rituals.PulseYesNo, Threshold: 3, Status: rituals.PulseCanceled, Note: "no audience", CreatedAt: at}
	text := &rituals.Pulse{Team: "T1", Number: 8, Series: 8, Run: 1, Channel: "C1", CreatedBy: "U1", Question: "Anything else?",
		Kind: rituals.PulseText, Anonymous: true, Threshold: 3, Status: rituals.PulseClosed, CreatedAt: at, SentAt: at, ClosedAt: at.Add(time.Hour)}
	textNamed := &rituals.Pulse{Team: "T1", Number: 9, Series: 9, Run: 1, Channel: "C1", CreatedBy: "U1", Question: "Anything?",
		Kind: rituals.PulseText, Threshold: 3, Status: rituals.PulseClosed, CreatedAt: at, SentAt: at, ClosedAt: at.Add(time.Hour)}
	return []*rituals.PulseReport{
		first, second,
		scale(10, 1, false, named, nil),
		rituals.BuildPulseReport(open, []rituals.PulseCount{{Asked: 4, Answered: 2, Others: 2}}, nil, nil, nil),
		rituals.BuildPulseReport(canceled, nil, nil, nil, nil),
		rituals.BuildPulseReport(text, []rituals.PulseCount{{Asked: 4, Answered: 3, Others: 3}},
			&rituals.PulseResults{Texts: []string{"more coffee", "=1+1", "ok"}}, nil, nil),
		rituals.BuildPulseReport(textNamed, []rituals.PulseCount{{Asked: 2, Answered: 2, Others: 2}}, nil,
			[]rituals.PulseAnswer{{User: "U1", Value: "hi"}, {User: "U2", Value: "@here"}}, nil),
	}
}

func goldenSessions() []*rituals.Session {
	at := goldenAt
	return []*rituals.Session{
		{Team: "T1", Number: 4, Kind: rituals.SessionPremortem, Name: "Launch v2", Channel: "C1", ChannelPrivate: true,
			Creator: "U1", CreatorName: "Ann", Status: rituals.SessionClosed, LaunchOn: "2026-03-20", CreatedAt: at,
			ClosesAt: at.Add(48 * time.Hour), ClosedAt: at.Add(24 * time.Hour), ClosedBy: "U1", FollowUpAt: at.Add(400 * time.Hour),
			FollowedUpAt: at.Add(401 * time.Hour), Items: []*rituals.Item{
				{Team: "T1", Session: 4, Number: 1, Kind: rituals.ItemFailure, Text: "DB falls over", Author: "U1", SourceTS: "1.5",
					Likelihood: rituals.LevelHigh, Impact: rituals.LevelMedium, Tag: rituals.TagTiger, Votes: 2, CreatedAt: at,
					Owner: "U2", OwnerName: "Bob", OwnerZone: rituals.StoredZone("UTC"), Due: "2026-03-10", AssignedBy: "U1", AssignedAt: at,
					RemindedAt: at.Add(time.Hour), DoneAt: at.Add(2 * time.Hour), DoneBy: "U2", Blocker: 7,
					HappenedAt: at.Add(3 * time.Hour), HappenedBy: "U3", SessionKind: rituals.SessionPremortem, SessionName: "x",
					Channel: "C1", ChannelPrivate: true},
				{Team: "T1", Session: 4, Number: 2, Kind: rituals.ItemAssumption, Text: "nobody says it", Anonymous: true,
					Tag: rituals.TagElephant, Votes: 5, CreatedAt: at.Add(time.Minute)},
				{Team: "T1", Session: 4, Number: 3, Kind: rituals.ItemFailure, Text: "unrated", Author: "U2", CreatedAt: at},
			}},
		{Team: "T1", Number: 5, Kind: rituals.SessionRetro, Name: "Sprint 9", Channel: "C2", Creator: "U1",
			Status: rituals.SessionOpen, CreatedAt: at, ClosesAt: at.Add(48 * time.Hour), Items: []*rituals.Item{
				{Number: 1, Kind: rituals.ItemChange, Text: "smaller PRs", Author: "U1", CreatedAt: at},
				{Number: 2, Kind: rituals.ItemWell, Text: "shipped", Author: "U2", Votes: 1, CreatedAt: at},
			}},
		{Team: "T1", Number: 6, Kind: rituals.SessionRetro, Name: "empty", Channel: "C2", Creator: "U1",
			Status: rituals.SessionOpen, CreatedAt: at, ClosesAt: at.Add(48 * time.Hour)},
	}
}
