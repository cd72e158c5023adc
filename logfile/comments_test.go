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

// TestExportedComments writes a proposal's comments into every export
// that carries them, each exactly: the JSON export as a list, the log
// and MADR as a section. The log's importer reads past them: comments
// are not imported, and the rest of the entry is.
func TestExportedComments(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	text := "I'd rather *USD*:\n\n  most customers pay in USD.\n## not a heading"
	d := &rituals.Decision{Team: "T1", Number: 3, Date: "2026-11-25", Title: "Charge in EUR", Text: "EUR", OwnerName: "Bob",
		Status: rituals.StatusProposed, DecideBy: "2026-12-02", Area: "payments", CreatedAt: at, UpdatedAt: at,
		Comments: []rituals.Comment{
			{User: "U0EVE", UserName: "Eve Cho", Text: text, At: at, Channel: "C1", TS: "1.2"},
			{User: "U0ANN", Text: strings.Repeat("x", rituals.MaxComment), Clipped: true, At: at.Add(time.Hour), Channel: "C1", TS: "1.3"},
		}}

	var js bytes.Buffer
	if err := logfile.WriteDecisionsJSON(&js, []*rituals.Decision{d}); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Comments []logfile.CommentJSON `json:"comments"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if cs := got[0].Comments; len(cs) != 2 || cs[0].Text != text || cs[0].UserName != "Eve Cho" || !cs[0].At.Equal(at) || cs[0].TS != "1.2" || !cs[1].Clipped {
		t.Fatalf("JSON comments %+v", cs)
	}

	var log bytes.Buffer
	if err := logfile.WriteDecisionLog(&log, []*rituals.Decision{d}); err != nil {
		t.Fatal(err)
	}
	want := "Comments: 2\n  - 2026-11-25 09:30 UTC, Eve Cho (U0EVE): I'd rather *USD*:\n    \n      most customers pay in USD.\n    ## not a heading\n  - 2026-11-25 10:30 UTC, U0ANN: xxx"
	if !strings.Contains(log.String(), want) {
		t.Fatalf("log:\n%s\nwant it to hold:\n%s", log.String(), want)
	}
	entries, err := logfile.ReadDecisionLog(strings.NewReader(log.String()))
	if err != nil {
		t.Fatalf("the importer refuses an export with comments: %v", err)
	}
	if e := entries[0].Decision; len(entries) != 1 || e.Title != d.Title || e.Area != "payments" || e.DecideBy != d.DecideBy || e.Comments != nil || entries[0].CommentsLeftOut != 2 {
		t.Fatalf("imported %+v", entries)
	}

	madr := string(logfile.MADR([]*rituals.Decision{d}, nil)[0].Content)
	if !strings.Contains(madr, "## Comments\n\n* **Eve Cho**, 2026-11-25 09:30 UTC: I'd rather *USD*:\n  \n    most customers pay in USD.\n  ## not a heading\n") ||
		!strings.Contains(madr, "(cut at 10000 characters; the whole reply is in Slack)") {
		t.Fatalf("MADR:\n%s", madr)
	}
}
