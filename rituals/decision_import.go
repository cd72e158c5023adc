package rituals

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// LogEntry is one decision read from a decision log, with its references
// to other entries as written ("D-3 (2026-03-01 — Old title)").
type LogEntry struct {
	Decision
	SupersedesRef   string
	SupersededByRef string
	raw             rawFields // fields parsed once the entry is read
}

// rawFields holds the text of fields that need parsing once the entry is
// complete (they may continue over several lines), and the line each
// field of the entry starts on, for messages.
type rawFields struct {
	status, decideBy, decidedOn, revisitBy, links string
	heading                                       int
	lines                                         map[string]int // "Decision" → line
}

var (
	logHeading = regexp.MustCompile(`^## (\d{4}-\d{2}-\d{2}) — (.+)$`)
	logField   = regexp.MustCompile(`^(Owner|Decision|Rationale|Impact|Status|Decide by|Decided on|Revisit by|Area|Links|Supersedes|Superseded by|Source):(?: (.*))?$`)
)

// ReadDecisionLog reads a log in the template WriteDecisionLog writes,
// hand-written ones included, and checks every entry as the decision form
// would (title and decision required, lengths, area, links, dates, status).
// Returns EINVALID naming the line of the first problem: a file is taken
// whole or not at all.
func ReadDecisionLog(r io.Reader) ([]LogEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var (
		entries []*LogEntry
		cur     *LogEntry
		field   *string
		line    int
		started bool
	)
	bad := func(format string, args ...any) error {
		return Errorf(EINVALID, "line %d: %s", line, fmt.Sprintf(format, args...))
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
			date, err := ParseDate(m[1])
			if err != nil {
				return nil, bad("%s", ErrorMessage(err))
			}
			cur, field = &LogEntry{Decision: Decision{Date: date, Title: strings.TrimSpace(m[2]), Status: StatusDecided}}, nil
			cur.raw.heading, cur.raw.lines = line, map[string]int{}
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
			if at, ok := cur.raw.lines[m[1]]; ok {
				return nil, bad("the entry already has a %s line, on line %d.", m[1], at)
			}
			cur.raw.lines[m[1]] = line
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
			return nil, Errorf(EINVALID, "line %d is longer than 4 MB; that is no decision log.", line+1)
		}
		return nil, fmt.Errorf("read decision log: %w", err)
	}
	if !started {
		return nil, Errorf(EINVALID, "the file is empty: a decision log starts with \"# Decision Log\".")
	}
	out := make([]LogEntry, len(entries))
	for i, e := range entries {
		if err := e.finish(); err != nil {
			return nil, err
		}
		out[i] = *e
	}
	return out, nil
}

func (e *LogEntry) field(name string) *string {
	raw := &e.raw
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
		return &raw.status
	case "Decide by":
		return &raw.decideBy
	case "Decided on":
		return &raw.decidedOn
	case "Revisit by":
		return &raw.revisitBy
	case "Area":
		return &e.Area
	case "Links":
		return &raw.links
	case "Supersedes":
		return &e.SupersedesRef
	case "Superseded by":
		return &e.SupersededByRef
	default: // "Source"
		return &e.Source
	}
}

// logFieldOf names the log's line for each field of the decision form.
var logFieldOf = map[string]string{FieldText: "Decision", FieldRationale: "Rationale", FieldImpact: "Impact", FieldArea: "Area", FieldLinks: "Links"}

// finish parses and checks the entry's fields once it is read. Returns
// EINVALID naming the line of the first problem.
func (e *LogEntry) finish() error {
	raw := &e.raw
	at := func(name string) int {
		if n, ok := raw.lines[name]; ok {
			return n
		}
		return raw.heading
	}
	bad := func(name, format string, args ...any) error {
		return Errorf(EINVALID, "line %d: %s", at(name), fmt.Sprintf(format, args...))
	}
	if _, ok := raw.lines["Decision"]; !ok {
		return bad("", "the entry %q has no Decision line.", e.heading())
	}
	in := DecisionInput{Title: e.Title, Text: strings.TrimSpace(e.Text), Rationale: strings.TrimSpace(e.Rationale),
		Impact: strings.TrimSpace(e.Impact), Area: e.Area, Links: ParseLinks(raw.links)}
	if fields := in.checkContent(); len(fields) > 0 {
		f := firstField(fields)
		return bad(logFieldOf[f], "%s", fields[f])
	}
	e.Text, e.Rationale, e.Impact, e.Area, e.Links = in.Text, in.Rationale, in.Impact, in.Area, in.Links
	e.OwnerName = strings.TrimSpace(e.OwnerName)
	e.SupersedesRef, e.SupersededByRef = strings.TrimSpace(e.SupersedesRef), strings.TrimSpace(e.SupersededByRef)
	if e.Source = strings.TrimSpace(e.Source); e.Source != "" && !isPlainLink(e.Source) {
		return bad("Source", "the source %q is not a link to the message the decision came from.", truncate(e.Source, 80))
	}
	if raw.status != "" {
		switch st := DecisionStatus(strings.ToLower(strings.TrimSpace(raw.status))); st {
		case StatusProposed, StatusDecided, StatusSuperseded, StatusDeprecated, StatusDropped:
			e.Status = st
		default:
			return bad("Status", "status %q is not one of proposed, decided, superseded, deprecated, dropped.", truncate(raw.status, 40))
		}
	}
	for _, f := range []struct {
		name string
		text string
		into *Date
	}{{"Decide by", raw.decideBy, &e.DecideBy}, {"Revisit by", raw.revisitBy, &e.RevisitBy}} {
		if f.text != "" {
			d, err := ParseDate(strings.TrimSpace(f.text))
			if err != nil {
				return bad(f.name, "%s", ErrorMessage(err))
			}
			*f.into = d
		}
	}
	if e.Status == StatusProposed && e.DecideBy.IsZero() {
		return bad("Status", "a proposed decision needs a \"Decide by:\" date.")
	}
	day, err := e.Date.Time(time.UTC)
	if err != nil {
		return bad("", "%s", ErrorMessage(err))
	}
	e.CreatedAt = day
	if raw.decidedOn != "" {
		d, err := ParseDate(strings.TrimSpace(raw.decidedOn))
		if err == nil {
			e.DecidedAt, err = d.Time(time.UTC)
		}
		if err != nil {
			return bad("Decided on", "%s", ErrorMessage(err))
		}
	} else if e.Status != StatusProposed && e.Status != StatusDropped {
		e.DecidedAt = day
	}
	return nil
}

// isPlainLink reports whether s is one http(s) URL that can sit inside
// Slack's <…|…> link markup: no spaces, no <, > or |.
func isPlainLink(s string) bool {
	if len(s) > MaxLinkLength || strings.ContainsAny(s, "<>| \t\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// refKey returns the heading a reference names: "D-3 (2026-03-01 — Old)"
// gives "2026-03-01 — Old"; a bare "D-3" gives "".
func refKey(ref string) string {
	if i := strings.Index(ref, "("); i >= 0 && strings.HasSuffix(ref, ")") {
		return ref[i+1 : len(ref)-1]
	}
	return ""
}

// Import adds the entries of a decision log to the team's log, numbered
// after the existing decisions oldest first (in file order within a day,
// as an export lists them, so export → import → export gives the same
// log) and attached to the caller's channel (none: then only exports show
// them). Entries already in the log
// (same date, title and decision) are skipped; supersession references
// between entries are kept. Imports post nothing to Slack. Returns how
// many were added.
func (s *Decisions) Import(ctx context.Context, c Caller, entries []LogEntry) (int, error) {
	now := s.Now()
	added := 0
	err := s.Store.InTx(ctx, func(tx Tx) error {
		existing, err := tx.Decisions(ctx, DecisionFilter{Team: c.Team})
		if err != nil {
			return err
		}
		seen := map[string]int64{}
		for _, d := range existing {
			seen[d.heading()+"\x00"+d.Text] = d.Number
		}
		numbers := map[string]int64{} // heading → number, for references
		var fresh []*Decision
		var refs []LogEntry
		byDate := slices.Clone(entries)
		sort.SliceStable(byDate, func(i, j int) bool { return byDate[i].Date < byDate[j].Date })
		for _, e := range byDate {
			if n, ok := seen[e.heading()+"\x00"+e.Text]; ok {
				numbers[e.heading()] = n
				continue
			}
			d := e.Decision
			d.Team, d.Channel, d.Author, d.Version, d.UpdatedAt = c.Team, c.Channel, c.User, 1, now
			n, err := tx.NextNumber(ctx, c.Team, "D")
			if err != nil {
				return err
			}
			d.Number = n
			numbers[d.heading()] = n
			fresh = append(fresh, &d)
			refs = append(refs, e)
		}
		for i, d := range fresh {
			d.Supersedes = numbers[refKey(refs[i].SupersedesRef)]
			d.SupersededBy = numbers[refKey(refs[i].SupersededByRef)]
			if err := tx.CreateDecision(ctx, d); err != nil {
				return err
			}
		}
		added = len(fresh)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import decisions: %w", err)
	}
	return added, nil
}
