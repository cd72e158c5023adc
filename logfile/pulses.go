package logfile

import (
	"io"
	"strconv"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// pulseExport is one pulse as exported: its settings and, once closed, its
// results. An anonymous pulse exports aggregates only, under the same
// threshold as in Slack; who answered what appears only for pulses that
// were not anonymous.
type pulseExport struct {
	ID            string              `json:"id"`
	Team          string              `json:"team_id"`
	Series        string              `json:"series"`
	Run           int                 `json:"run"`
	Channel       string              `json:"channel_id"`
	CreatedBy     string              `json:"created_by"`
	Question      string              `json:"question"`
	Kind          rituals.PulseKind   `json:"kind"`
	Choices       []string            `json:"choices,omitempty"`
	Anonymous     bool                `json:"anonymous"`
	Threshold     int                 `json:"threshold"`
	Repeat        rituals.PulseRepeat `json:"repeat,omitempty"`
	Status        rituals.PulseStatus `json:"status"`
	Note          string              `json:"note,omitempty"`
	CreatedAt     time.Time           `json:"created_at"`
	SentAt        *time.Time          `json:"sent_at,omitempty"`
	ClosedAt      *time.Time          `json:"closed_at,omitempty"`
	Asked         int                 `json:"asked"`
	Answered      int                 `json:"answered"`
	ResponseRate  float64             `json:"response_rate"`
	Results       *groupExport        `json:"results,omitempty"`
	Roles         []groupExport       `json:"roles,omitempty"`
	RolesHeldBack int                 `json:"roles_held_back,omitempty"`
	WidestGap     *gapExport          `json:"widest_gap,omitempty"`
	Previous      string              `json:"previous_run,omitempty"`
	Change        *float64            `json:"change_since_previous,omitempty"`
	Texts         []string            `json:"texts,omitempty"`
	Answers       []answerExport      `json:"answers,omitempty"`
}

type groupExport struct {
	Role     string        `json:"role,omitempty"`
	Asked    int           `json:"asked"`
	Answered int           `json:"answered"`
	Shown    bool          `json:"shown"`
	Counts   []choiceCount `json:"counts,omitempty"`
	Mean     *float64      `json:"mean,omitempty"`
}

// gapExport is the widest difference between two roles, as exported.
type gapExport struct {
	Choice    int     `json:"choice"` // -1: the mean, or the share of yes
	High      string  `json:"high_role"`
	Low       string  `json:"low_role"`
	HighValue float64 `json:"high"`
	LowValue  float64 `json:"low"`
}

type choiceCount struct {
	Choice string `json:"choice"`
	Count  int    `json:"count"`
}

type answerExport struct {
	User   string `json:"user_id"`
	Answer string `json:"answer"`
}

func exportOf(r *rituals.PulseReport) pulseExport {
	p := r.Pulse
	e := pulseExport{
		ID: p.ID(), Team: p.Team, Series: rituals.FormatID("P", p.Series), Run: p.Run, Channel: p.Channel,
		CreatedBy: p.CreatedBy, Question: p.Question, Kind: p.Kind, Choices: p.Options,
		Anonymous: p.Anonymous, Threshold: p.Threshold, Repeat: p.Repeat, Status: p.Status, Note: p.Note,
		CreatedAt: p.CreatedAt, SentAt: timeOrNil(p.SentAt), ClosedAt: timeOrNil(p.ClosedAt),
		Asked: r.All.Asked, Answered: r.All.Answered, ResponseRate: round2(r.All.Rate()),
	}
	if p.Status != rituals.PulseClosed {
		return e // results are shown once a pulse closes, never while answers come in
	}
	all := groupOf(p, &r.All)
	e.Results = &all
	for i := range r.Roles {
		e.Roles = append(e.Roles, groupOf(p, &r.Roles[i]))
	}
	e.RolesHeldBack = r.HeldBack
	if g := r.Gap; g != nil {
		e.WidestGap = &gapExport{Choice: g.Choice, High: g.High, Low: g.Low, HighValue: g.HighValue, LowValue: g.LowValue}
	}
	if r.Previous != nil {
		e.Previous = r.Previous.Pulse.ID()
		if d, ok := r.Change(); ok {
			d = round2(d)
			e.Change = &d
		}
	}
	for _, t := range r.Texts {
		if p.Anonymous {
			e.Texts = append(e.Texts, t.Text)
		} else {
			e.Answers = append(e.Answers, answerExport{User: t.User, Answer: t.Text})
		}
	}
	if !p.Anonymous && p.Kind != rituals.PulseText {
		for _, a := range r.Named {
			e.Answers = append(e.Answers, answerExport{User: a.User, Answer: a.Value})
		}
	}
	return e
}

func groupOf(p *rituals.Pulse, g *rituals.PulseGroup) groupExport {
	out := groupExport{Role: g.Role, Asked: g.Asked, Answered: g.Answered, Shown: g.Shown}
	for i, n := range g.Counts {
		out.Counts = append(out.Counts, choiceCount{Choice: p.Choices()[i], Count: n})
	}
	if g.Shown && p.Kind == rituals.PulseScale {
		m := round2(g.Mean)
		out.Mean = &m
	}
	return out
}

// WritePulsesJSON writes pulses' settings and results as one indented JSON
// array, in the order given.
func WritePulsesJSON(w io.Writer, reports []*rituals.PulseReport) error {
	out := make([]pulseExport, 0, len(reports))
	for _, r := range reports {
		out = append(out, exportOf(r))
	}
	return writeJSON(w, "pulses", out)
}

// WritePulsesCSV writes pulses' results as CSV, one row per pulse, group
// (all, or a role) and choice; a group held back, a free-text pulse or a
// pulse not closed yet gets one row with no choice.
func WritePulsesCSV(w io.Writer, reports []*rituals.PulseReport) error {
	cw := newCSVTable(w, "pulses", "id", "series", "run", "team_id", "channel_id", "question", "kind", "anonymous", "threshold",
		"status", "sent_at", "closed_at", "group", "asked", "answered", "shown", "choice", "count", "mean")
	for _, r := range reports {
		e := exportOf(r)
		head := []string{e.ID, e.Series, strconv.Itoa(e.Run), e.Team, e.Channel, e.Question, string(e.Kind),
			strconv.FormatBool(e.Anonymous), strconv.Itoa(e.Threshold), string(e.Status), csvTime(r.Pulse.SentAt), csvTime(r.Pulse.ClosedAt)}
		groups := []groupExport{{Asked: e.Asked, Answered: e.Answered}}
		if e.Results != nil {
			groups = append([]groupExport{*e.Results}, e.Roles...)
		}
		for _, g := range groups {
			name, mean := g.Role, ""
			if name == "" {
				name = "all"
			}
			if g.Mean != nil {
				mean = strconv.FormatFloat(*g.Mean, 'f', 2, 64)
			}
			row := append(append([]string(nil), head...), name, strconv.Itoa(g.Asked), strconv.Itoa(g.Answered), strconv.FormatBool(g.Shown))
			if len(g.Counts) == 0 {
				cw.Row(append(row, "", "", mean)...)
			}
			for _, c := range g.Counts {
				cw.Row(append(append([]string(nil), row...), c.Choice, strconv.Itoa(c.Count), mean)...)
			}
		}
	}
	return cw.Close()
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func round2(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 2, 64), 64)
	return v
}
