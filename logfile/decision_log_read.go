package logfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// entry is one decision as it is read from a log: the decision so far,
// the text of the fields parsed once the entry is complete (they may
// continue over several lines), and the line each field of the entry
// starts on, for messages.
type entry struct {
	rituals.Decision
	// supersedes and supersededBy are references to other entries as
	// written: "D-3 (2026-03-01 — Old title)".
	supersedes, supersededBy                      string
	status, decideBy, decidedOn, revisitBy, links string
	comments                                      string // read past: see ReadDecisionLog
	heading                                       int
	lines                                         map[string]int // "Decision" → line
}

var (
	logHeading = regexp.MustCompile(`^## (\d{4}-\d{2}-\d{2}) — (.+)$`)
	logField   = regexp.MustCompile(`^(Owner|Decision|Rationale|Impact|Status|Decide by|Decided on|Revisit by|Area|Links|Supersedes|Superseded by|Source|Comments):(?: (.*))?$`)
)

// ReadDecisionLog reads a log in the template WriteDecisionLog writes,
// hand-written ones included, and checks every entry as the decision form
// would (title and decision required, lengths, area, links, dates, status),
// ready for rituals.Decisions.Import. Returns EINVALID naming the line of
// the first problem: a file is taken whole or not at all. A proposal's
// Comments are read past, not imported: they were replies in a Slack
// thread, which an imported entry does not have.
func ReadDecisionLog(r io.Reader) ([]rituals.ImportedDecision, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var (
		entries []*entry
		cur     *entry
		field   *string
		line    int
		started bool
	)
	bad := func(format string, args ...any) error {
		return rituals.Errorf(rituals.EINVALID, "line %d: %s", line, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		switch {
		case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
			return nil, bad("a decision log is UTF-8 text, without NUL characters.")
		case !started:
			if strings.TrimSpace(text) == "" {
				continue
			}
			if strings.TrimSpace(text) != "# Decision Log" {
				return nil, bad("a decision log starts with \"# Decision Log\".")
			}
			started = true
		case logHeading.MatchString(text):
			m := logHeading.FindStringSubmatch(text)
			date, err := rituals.ParseDate(m[1])
			if err != nil {
				return nil, bad("%s", rituals.ErrorMessage(err))
			}
			cur, field = &entry{Decision: rituals.Decision{Date: date, Title: strings.TrimSpace(m[2]), Status: rituals.StatusDecided}}, nil
			cur.heading, cur.lines = line, map[string]int{}
			entries = append(entries, cur)
		case strings.HasPrefix(text, "## "):
			return nil, bad("an entry heading reads like \"## 2026-04-01 — Title\".")
		case strings.HasPrefix(text, "  ") && field != nil:
			*field += "\n" + text[2:]
		case strings.TrimSpace(text) == "":
			field = nil
		case cur == nil:
			return nil, bad("expected an entry heading like \"## 2026-04-01 — Title\".")
		case logField.MatchString(text):
			m := logField.FindStringSubmatch(text)
			if at, ok := cur.lines[m[1]]; ok {
				return nil, bad("the entry already has a %s line, on line %d.", m[1], at)
			}
			cur.lines[m[1]] = line
			field = cur.field(m[1])
			*field = m[2]
		case field != nil:
			// A hand-written line without the indent: part of the field.
			*field += "\n" + text
		default:
			return nil, bad("expected a field such as \"Owner:\" or \"Decision:\".")
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, rituals.Errorf(rituals.EINVALID, "line %d is longer than 4 MB; that is no decision log.", line+1)
		}
		return nil, fmt.Errorf("read decision log: %w", err)
	}
	if !started {
		return nil, rituals.Errorf(rituals.EINVALID, "the file is empty: a decision log starts with \"# Decision Log\".")
	}
	out := make([]rituals.ImportedDecision, len(entries))
	for i, e := range entries {
		if err := e.finish(); err != nil {
			return nil, err
		}
		out[i] = rituals.ImportedDecision{Decision: e.Decision,
			SupersedesRef: parseRef(e.supersedes), SupersededByRef: parseRef(e.supersededBy),
			CommentsLeftOut: countComments(e.comments)}
	}
	return out, nil
}

func (e *entry) field(name string) *string {
	switch name {
	case "Owner":
		return &e.OwnerName
	case "Decision":
		return &e.Text
	case "Rationale":
		return &e.Rationale
	case "Impact":
		return &e.Impact
	case "Status":
		return &e.status
	case "Decide by":
		return &e.decideBy
	case "Decided on":
		return &e.decidedOn
	case "Revisit by":
		return &e.revisitBy
	case "Area":
		return &e.Area
	case "Comments":
		return &e.comments
	case "Links":
		return &e.links
	case "Supersedes":
		return &e.supersedes
	case "Superseded by":
		return &e.supersededBy
	default: // "Source"
		return &e.Source
	}
}

// contentLines names the log's line for each field the decision form
// checks (rituals.DecisionInput.CheckContent), in the form's order: a
// refusal names the first field with a problem, as the form does. The
// title is on the entry's heading.
var contentLines = []struct{ field, line string }{
	{rituals.FieldTitle, ""}, {rituals.FieldText, "Decision"}, {rituals.FieldRationale, "Rationale"},
	{rituals.FieldImpact, "Impact"}, {rituals.FieldArea, "Area"}, {rituals.FieldLinks, "Links"},
}

// finish parses and checks the entry's fields once it is read. Returns
// EINVALID naming the line of the first problem.
func (e *entry) finish() error {
	at := func(name string) int {
		if n, ok := e.lines[name]; ok {
			return n
		}
		return e.heading
	}
	bad := func(name, format string, args ...any) error {
		return rituals.Errorf(rituals.EINVALID, "line %d: %s", at(name), fmt.Sprintf(format, args...))
	}
	if _, ok := e.lines["Decision"]; !ok {
		return bad("", "the entry %q has no Decision line.", heading(&e.Decision))
	}
	in := rituals.DecisionInput{Title: e.Title, Text: strings.TrimSpace(e.Text), Rationale: strings.TrimSpace(e.Rationale),
		Impact: strings.TrimSpace(e.Impact), Area: e.Area, Links: rituals.ParseLinks(e.links)}
	if fields := in.CheckContent(); len(fields) > 0 {
		for _, c := range contentLines {
			if msg, ok := fields[c.field]; ok {
				return bad(c.line, "%s", msg)
			}
		}
		for _, msg := range fields { // a field the log has no line for: the heading's
			return bad("", "%s", msg)
		}
	}
	e.Text, e.Rationale, e.Impact, e.Area, e.Links = in.Text, in.Rationale, in.Impact, in.Area, in.Links
	e.OwnerName = strings.TrimSpace(e.OwnerName)
	e.supersedes, e.supersededBy = strings.TrimSpace(e.supersedes), strings.TrimSpace(e.supersededBy)
	if e.Source = strings.TrimSpace(e.Source); e.Source != "" && !isPlainLink(e.Source) {
		return bad("Source", "the source %q is not a link to the message the decision came from.", truncate(e.Source, 80))
	}
	if e.status != "" {
		switch st := rituals.DecisionStatus(strings.ToLower(strings.TrimSpace(e.status))); st {
		case rituals.StatusProposed, rituals.StatusDecided, rituals.StatusSuperseded, rituals.StatusDeprecated, rituals.StatusDropped:
			e.Status = st
		default:
			return bad("Status", "status %q is not one of proposed, decided, superseded, deprecated, dropped.", truncate(e.status, 40))
		}
	}
	for _, f := range []struct {
		name string
		text string
		into *rituals.Date
	}{{"Decide by", e.decideBy, &e.DecideBy}, {"Revisit by", e.revisitBy, &e.RevisitBy}} {
		if f.text != "" {
			d, err := rituals.ParseDate(strings.TrimSpace(f.text))
			if err != nil {
				return bad(f.name, "%s", rituals.ErrorMessage(err))
			}
			*f.into = d
		}
	}
	if e.Status == rituals.StatusProposed && e.DecideBy.IsZero() {
		return bad("Status", "a proposed decision needs a \"Decide by:\" date.")
	}
	day, err := e.Date.Time(time.UTC)
	if err != nil {
		return bad("", "%s", rituals.ErrorMessage(err))
	}
	e.CreatedAt = day
	if e.decidedOn != "" {
		d, err := rituals.ParseDate(strings.TrimSpace(e.decidedOn))
		if err == nil {
			e.DecidedAt, err = d.Time(time.UTC)
		}
		if err != nil {
			return bad("Decided on", "%s", rituals.ErrorMessage(err))
		}
	} else if e.Status != rituals.StatusProposed && e.Status != rituals.StatusDropped {
		e.DecidedAt = day
	}
	return nil
}

// isPlainLink reports whether s is one http(s) URL that can sit inside
// Slack's <…|…> link markup: no spaces, no <, > or |.
func isPlainLink(s string) bool {
	if len(s) > rituals.MaxLinkLength || strings.ContainsAny(s, "<>| \t\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// parseRef reads a reference to another entry as WriteDecisionLog writes
// it: "D-3 (2026-03-01 — Old title)" names the entry of that date and
// title. A bare "D-3", whose number means nothing to another log, names
// none.
func parseRef(ref string) rituals.DecisionRef {
	i := strings.Index(ref, "(")
	if i < 0 || !strings.HasSuffix(ref, ")") {
		return rituals.DecisionRef{}
	}
	date, title, ok := strings.Cut(ref[i+1:len(ref)-1], headingSep)
	if !ok {
		return rituals.DecisionRef{}
	}
	return rituals.DecisionRef{Date: rituals.Date(date), Title: title}
}

// truncate shortens s to n characters, an ellipsis last, for quoting
// what a file holds in a refusal.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// countComments counts the comments of a Comments field as
// WriteDecisionLog writes it, one a "- " line; a hand-written field
// without them counts as one.
func countComments(field string) int {
	n := 0
	for _, l := range strings.Split(field, "\n") {
		if strings.HasPrefix(l, "- ") {
			n++
		}
	}
	if n == 0 && strings.TrimSpace(field) != "" {
		n = 1
	}
	return n
}
