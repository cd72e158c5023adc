package logfile

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/alignbot/alignbot/rituals"
)

// MADRFile is one Markdown Architectural Decision Record (MADR 4).
type MADRFile struct {
	Name    string // e.g. "0012-api-versioning-strategy.md"
	Content []byte
}

// MADRName returns the file name of decision n's record: its number and
// its title as a slug.
func MADRName(d *rituals.Decision) string {
	return fmt.Sprintf("%04d-%s.md", d.Number, slug(d.Title))
}

// MADR renders decisions as MADR 4 records, one file each, numbered by
// their D- number. The front matter's status follows the lifecycle
// (proposed, accepted, rejected, deprecated, "superseded by ADR-0013"), so
// a superseded record stays, pointing at its successor. rights gives each
// area's consulted and informed, by area.
func MADR(decisions []*rituals.Decision, rights map[string]*rituals.Right) []MADRFile {
	byNumber := map[int64]*rituals.Decision{}
	for _, d := range decisions {
		byNumber[d.Number] = d
	}
	link := func(n int64) string {
		if o, ok := byNumber[n]; ok {
			return fmt.Sprintf("[ADR-%04d](%s) %s", n, MADRName(o), o.Title)
		}
		return fmt.Sprintf("ADR-%04d", n)
	}
	var out []MADRFile
	for _, d := range sortedByDate(decisions) {
		var b strings.Builder
		b.WriteString("---\n")
		frontMatter(&b, "status", madrStatus(d))
		frontMatter(&b, "date", string(d.Date))
		owner := ownerName(d)
		frontMatter(&b, "decision-makers", owner)
		if r := rights[d.Area]; r != nil && d.Area != "" {
			frontMatter(&b, "consulted", namesOf(r.Consulted, r.Names, ""))
			frontMatter(&b, "informed", namesOf(r.Informed, r.Names, "#"))
		}
		b.WriteString("---\n\n")
		fmt.Fprintf(&b, "# %s\n\n", d.Title)
		fmt.Fprintf(&b, "## Context and Problem Statement\n\n%s\n\n", orNone(d.Rationale))
		fmt.Fprintf(&b, "## Decision Outcome\n\n%s\n\n", d.Text)
		fmt.Fprintf(&b, "### Consequences\n\n%s\n\n", orNone(d.Impact))
		b.WriteString("## More Information\n\n")
		fmt.Fprintf(&b, "* Recorded in alignbot as %s", d.ID())
		if d.Area != "" {
			fmt.Fprintf(&b, ", in the %s area", d.Area)
		}
		b.WriteString(".\n")
		if !d.DecideBy.IsZero() {
			fmt.Fprintf(&b, "* Decide by: %s\n", d.DecideBy)
		}
		if !d.RevisitBy.IsZero() {
			fmt.Fprintf(&b, "* Revisit by: %s\n", d.RevisitBy)
		}
		if d.Supersedes != 0 {
			fmt.Fprintf(&b, "* Supersedes %s\n", link(d.Supersedes))
		}
		if d.SupersededBy != 0 {
			fmt.Fprintf(&b, "* Superseded by %s\n", link(d.SupersededBy))
		}
		for _, l := range d.Links {
			fmt.Fprintf(&b, "* <%s>\n", l)
		}
		if d.Source != "" {
			fmt.Fprintf(&b, "* Source: <%s>\n", d.Source)
		}
		madrComments(&b, d.Comments)
		out = append(out, MADRFile{Name: MADRName(d), Content: []byte(b.String())})
	}
	return out
}

// madrComments writes a proposal's comments, when it has any, as a
// section after More Information: who, when, and what each said, its
// further lines indented under it.
func madrComments(b *strings.Builder, cs []rituals.Comment) {
	if len(cs) == 0 {
		return
	}
	b.WriteString("\n## Comments\n\n")
	for _, c := range cs {
		who := c.User
		if c.UserName != "" {
			who = c.UserName
		}
		text := strings.ReplaceAll(c.Text, "\n", "\n  ")
		if c.Clipped {
			text += fmt.Sprintf(" _(cut at %d characters; the whole reply is in Slack)_", rituals.MaxComment)
		}
		fmt.Fprintf(b, "* **%s**, %s: %s\n", who, c.At.UTC().Format("2006-01-02 15:04 UTC"), text)
	}
}

func madrStatus(d *rituals.Decision) string {
	switch d.Status {
	case rituals.StatusProposed:
		return "proposed"
	case rituals.StatusDropped:
		return "rejected"
	case rituals.StatusDeprecated:
		return "deprecated"
	case rituals.StatusSuperseded:
		return fmt.Sprintf("superseded by ADR-%04d", d.SupersededBy)
	default:
		return "accepted"
	}
}

// frontMatter writes one YAML key, quoting the value when YAML would read
// it otherwise (a leading '#', a colon, quotes).
func frontMatter(b *strings.Builder, key, value string) {
	if value == "" {
		return
	}
	if strings.ContainsAny(value[:1], "#&*!|>'\"%@`{[-?:,") || strings.Contains(value, ": ") ||
		strings.Contains(value, " #") || strings.HasSuffix(value, ":") || strings.TrimSpace(value) != value {
		value = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value) + `"`
	}
	fmt.Fprintf(b, "%s: %s\n", key, value)
}

func namesOf(ids []string, names map[string]string, prefix string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if n := names[id]; n != "" {
			out = append(out, prefix+n)
		} else {
			out = append(out, id)
		}
	}
	return strings.Join(out, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "Not recorded."
	}
	return s
}

// slug turns a title into a file-name part: lower-case letters and digits
// joined by '-', at most 60 characters.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	if s == "" {
		s = "decision"
	}
	return s
}
