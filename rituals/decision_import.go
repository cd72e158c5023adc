package rituals

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
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
// complete (they may continue over several lines).
type rawFields struct{ status, decideBy, decidedOn, revisitBy, links string }

var (
	logHeading = regexp.MustCompile(`^## (\d{4}-\d{2}-\d{2}) — (.+)$`)
	logField   = regexp.MustCompile(`^(Owner|Decision|Rationale|Impact|Status|Decide by|Decided on|Revisit by|Area|Links|Supersedes|Superseded by|Source):(?: (.*))?$`)
)

// ReadDecisionLog reads a log in the template WriteDecisionLog writes,
// hand-written ones included. Returns EINVALID with the line number of
// anything it cannot read.
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
		case !started:
			if strings.TrimSpace(text) == "" {
				continue
			}
			if strings.TrimSpace(text) != "# Decision Log" {
				return nil, bad("a decision log starts with \"# Decision Log\"")
			}
			started = true
		case logHeading.MatchString(text):
			m := logHeading.FindStringSubmatch(text)
			date, err := ParseDate(m[1])
			if err != nil {
				return nil, bad("%s", ErrorMessage(err))
			}
			cur, field = &LogEntry{Decision: Decision{Date: date, Title: strings.TrimSpace(m[2]), Status: StatusDecided}}, nil
			entries = append(entries, cur)
		case strings.HasPrefix(text, "  ") && field != nil:
			*field += "\n" + text[2:]
		case strings.TrimSpace(text) == "":
			field = nil
		case cur == nil:
			return nil, bad("expected an entry heading like \"## 2026-04-01 — Title\"")
		case logField.MatchString(text):
			m := logField.FindStringSubmatch(text)
			field = cur.field(m[1])
			*field = m[2]
		case field != nil:
			// A hand-written line without the indent: part of the field.
			*field += "\n" + text
		default:
			return nil, bad("expected a field such as \"Owner:\" or \"Decision:\"")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read decision log: %w", err)
	}
	if !started {
		return nil, Errorf(EINVALID, "the file is empty: a decision log starts with \"# Decision Log\"")
	}
	out := make([]LogEntry, len(entries))
	for i, e := range entries {
		if err := e.finish(); err != nil {
			return nil, Errorf(EINVALID, "entry %q: %s", e.heading(), ErrorMessage(err))
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

func (e *LogEntry) finish() error {
	raw := &e.raw
	if e.Text == "" {
		return Errorf(EINVALID, "it has no Decision line")
	}
	if raw.status != "" {
		switch st := DecisionStatus(strings.ToLower(strings.TrimSpace(raw.status))); st {
		case StatusProposed, StatusDecided, StatusSuperseded, StatusDeprecated, StatusDropped:
			e.Status = st
		default:
			return Errorf(EINVALID, "status %q is not one of proposed, decided, superseded, deprecated, dropped", raw.status)
		}
	}
	for _, f := range []struct {
		text string
		into *Date
	}{{raw.decideBy, &e.DecideBy}, {raw.revisitBy, &e.RevisitBy}} {
		if f.text != "" {
			d, err := ParseDate(strings.TrimSpace(f.text))
			if err != nil {
				return err
			}
			*f.into = d
		}
	}
	day, err := e.Date.Time(time.UTC)
	if err != nil {
		return err
	}
	e.CreatedAt = day
	if raw.decidedOn != "" {
		d, err := ParseDate(strings.TrimSpace(raw.decidedOn))
		if err != nil {
			return err
		}
		if e.DecidedAt, err = d.Time(time.UTC); err != nil {
			return err
		}
	} else if e.Status != StatusProposed && e.Status != StatusDropped {
		e.DecidedAt = day
	}
	if raw.links != "" {
		e.Links = ParseLinks(raw.links)
	}
	e.Area = strings.TrimSpace(e.Area)
	return nil
}

// refKey returns the heading a reference names: "D-3 (2026-03-01 — Old)"
// gives "2026-03-01 — Old"; a bare "D-3" gives "".
func refKey(ref string) string {
	if i := strings.Index(ref, "("); i >= 0 && strings.HasSuffix(ref, ")") {
		return ref[i+1 : len(ref)-1]
	}
	return ""
}

// Import adds the entries of a decision log to the team's log, in order,
// numbered after the existing decisions and attached to the caller's
// channel (none: then only exports show them). Entries already in the log
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
		for _, e := range entries {
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
