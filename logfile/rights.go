package logfile

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// PartyName is how an export names a person, a user group or a channel:
// by the display name stored when it was named ("Ann Lee", "@platform-
// team", "#eng"), or by its ID when no name was stored.
func PartyName(id string, names map[string]string) string {
	n := names[id]
	switch {
	case n == "":
		return id
	case rituals.IsGroupID(id) && !strings.HasPrefix(n, "@"):
		return "@" + n
	case rituals.IsChannelID(id) && !strings.HasPrefix(n, "#"):
		return "#" + n
	}
	return n
}

// ownerName is how an export names a decision's owner: a person by
// name, a team by its handle or channel name ("@platform-team",
// "#platform"), an imported owner by the name it came with.
func ownerName(d *rituals.Decision) string {
	if d.Owner == "" {
		return d.OwnerName
	}
	return PartyName(d.Owner, map[string]string{d.Owner: d.OwnerName})
}

func partyNames(ids []string, names map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = PartyName(id, names)
	}
	return out
}

// WriteRightsMarkdown writes decision rights as a handbook page: what
// RACI means here, then a table per area with real names, for the team
// handbook or a repository.
func WriteRightsMarkdown(w io.Writer, rights []*rituals.Right) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("# Decision rights\n\n")
	bw.WriteString("Who decides what, as RACI. The **Accountable** owner makes an area's decisions, and accepts or sends back what anyone else proposes in it; **Responsible** do the work; **Consulted** are asked before a decision; **Informed** hear of it once made.\n")
	bw.WriteString("In Slack, `/decide [area] <text>` records a decision in an area, and `/decide rights` lists these.\n")
	if len(rights) == 0 {
		bw.WriteString("\nNo decision rights are published yet.\n")
	}
	teams := map[string]bool{}
	for _, r := range rights {
		teams[r.Team] = true
	}
	for _, r := range rights {
		heading := r.Area
		if len(teams) > 1 {
			heading += " (workspace " + r.Team + ")"
		}
		fmt.Fprintf(bw, "\n## %s\n\n| Role | Who |\n| --- | --- |\n", mdCell(heading))
		for _, row := range []struct {
			role string
			ids  []string
		}{{"Accountable", []string{r.Owner}}, {"Responsible", r.Responsible}, {"Consulted", r.Consulted}, {"Informed", r.Informed}} {
			who := strings.Join(partyNames(row.ids, r.Names), ", ")
			if who == "" {
				who = "—"
			}
			fmt.Fprintf(bw, "| %s | %s |\n", row.role, mdCell(who))
		}
		if !r.UpdatedAt.IsZero() {
			fmt.Fprintf(bw, "\nLast changed %s.\n", r.UpdatedAt.UTC().Format(time.DateOnly))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write decision rights: %w", err)
	}
	return nil
}

// mdCell keeps a name inside its table cell: no pipe ends it, no line
// break splits the row.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ").Replace(s)
}

// rightJSON is an area's decision rights as the JSON export shows it,
// under names scripts read, so they must not change.
type rightJSON struct {
	Team        string      `json:"team_id"`
	Area        string      `json:"area"`
	Accountable partyJSON   `json:"accountable"`
	Responsible []partyJSON `json:"responsible"`
	Consulted   []partyJSON `json:"consulted"`
	Informed    []partyJSON `json:"informed"`
	UpdatedBy   string      `json:"updated_by"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

// rightParties are an area's people, groups or channels, in the shape
// blockers' parties have: never null, so scripts can iterate.
func rightParties(ids []string, names map[string]string) []partyJSON {
	out := make([]partyJSON, len(ids))
	for i, id := range ids {
		kind := rituals.PartyUser
		switch {
		case rituals.IsGroupID(id):
			kind = rituals.PartyGroup
		case rituals.IsChannelID(id):
			kind = rituals.PartyChannel
		}
		out[i] = partyJSON{Kind: kind, ID: id, Name: names[id]}
	}
	return out
}

// WriteRightsJSON writes decision rights as a JSON array, by workspace
// and area.
func WriteRightsJSON(w io.Writer, rights []*rituals.Right) error {
	out := make([]rightJSON, len(rights))
	for i, r := range rights {
		out[i] = rightJSON{
			Team: r.Team, Area: r.Area, Accountable: rightParties([]string{r.Owner}, r.Names)[0],
			Responsible: rightParties(r.Responsible, r.Names), Consulted: rightParties(r.Consulted, r.Names),
			Informed: rightParties(r.Informed, r.Names), UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC(),
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write decision rights json: %w", err)
	}
	return nil
}

// WriteRightsCSV writes decision rights as CSV, an area a row: each role
// by name (names joined by "; ") and by ID (joined by spaces).
func WriteRightsCSV(w io.Writer, rights []*rituals.Right) error {
	t := newCSVTable(w, "decision rights", "team_id", "area", "accountable", "accountable_id", "responsible", "responsible_ids",
		"consulted", "consulted_ids", "informed", "informed_ids", "updated_at")
	for _, r := range rights {
		cells := []string{r.Team, r.Area}
		for _, ids := range [][]string{{r.Owner}, r.Responsible, r.Consulted, r.Informed} {
			cells = append(cells, strings.Join(partyNames(ids, r.Names), "; "), strings.Join(ids, " "))
		}
		t.Row(append(cells, csvTime(r.UpdatedAt))...)
	}
	return t.Close()
}
