package rituals

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Field names of the pulse form, used in validation errors.
const (
	FieldPulseQuestion  = "question"
	FieldPulseKind      = "kind"
	FieldPulseChoices   = "choices"
	FieldPulseScale     = "scale_labels"
	FieldPulseAudience  = "audience"
	FieldPulsePeople    = "people"
	FieldPulseAnonymous = "anonymous"
	FieldPulseThreshold = "threshold"
	FieldPulseOpenFor   = "open_for"
	FieldPulseRepeat    = "repeat"
	FieldPulseAnswer    = "answer"
)

// PulseInput is what a person gives to send a pulse, as typed: the
// domain parses the numbers and durations so it owns their messages.
type PulseInput struct {
	Question    string
	Kind        PulseKind
	Choices     string // one option a line, for PulseChoice
	ScaleLabels string // what 1 and 5 mean, one a line, for PulseScale
	Audience    PulseAudience
	Group       string   // the user group (S…) of AudienceGroup
	People      []string // the people of AudiencePeople
	Anonymous   bool
	Threshold   string // "" means DefaultPulseThreshold
	OpenFor     string // e.g. "48h", "2d"; "" means DefaultPulseOpenFor
	Repeat      PulseRepeat
}

// pulse checks the input against the rules and returns the pulse it
// describes, or an EINVALID *Error with a message per bad field.
// mayRepeat says whether the caller may schedule a repeating pulse;
// creator is who sends it.
func (in *PulseInput) pulse(mayRepeat bool, creator string) (*Pulse, error) {
	p := &Pulse{
		Question:  strings.TrimSpace(in.Question),
		Kind:      in.Kind,
		Audience:  in.Audience,
		Anonymous: in.Anonymous,
		Repeat:    in.Repeat,
	}
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(p.Question); {
	case n == 0:
		fields[FieldPulseQuestion] = "The question is required."
	case n > MaxPulseQuestion:
		fields[FieldPulseQuestion] = fmt.Sprintf("The question is %d characters long; the limit is %d.", n, MaxPulseQuestion)
	}
	options, labels := optionLines(in.Choices), optionLines(in.ScaleLabels)
	switch p.Kind {
	case PulseChoice:
		p.Options = options
		if msg := checkOptions(options); msg != "" {
			fields[FieldPulseChoices] = msg
		}
	case PulseScale:
		if len(options) > 0 {
			fields[FieldPulseChoices] = "Choices are only for a choice list; clear them, or pick “Single choice”."
		}
		switch {
		case len(labels) > 2:
			fields[FieldPulseScale] = "Give at most two lines: what 1 means, then what 5 means."
		case len(labels) > 0 && maxRunes(labels) > MaxScaleLabel:
			fields[FieldPulseScale] = fmt.Sprintf("Keep each label under %d characters.", MaxScaleLabel+1)
		case len(labels) == 1:
			p.ScaleLow = labels[0]
		case len(labels) == 2:
			p.ScaleLow, p.ScaleHigh = labels[0], labels[1]
		}
	case PulseYesNo, PulseText:
		if len(options) > 0 {
			fields[FieldPulseChoices] = "Choices are only for a choice list; clear them, or pick “Single choice”."
		}
	default:
		fields[FieldPulseKind] = "Choose how people answer: a scale, yes/no, a choice list or free text."
	}
	if p.Kind != PulseScale && len(labels) > 0 {
		fields[FieldPulseScale] = "Labels are only for a 1–5 scale; clear them, or pick “Scale 1–5”."
	}

	threshold, msg := ParseThreshold(in.Threshold)
	p.Threshold = threshold
	if msg != "" {
		fields[FieldPulseThreshold] = msg
	}
	p.OpenFor = DefaultPulseOpenFor
	if strings.TrimSpace(in.OpenFor) != "" {
		openFor, err := ParseDuration(in.OpenFor, PulseOpenForBounds)
		p.OpenFor = time.Duration(openFor)
		if err != nil {
			fields[FieldPulseOpenFor] = ErrorMessage(err)
		}
	}

	switch p.Audience {
	case AudienceChannel:
	case AudienceGroup:
		if in.Group == "" {
			fields[FieldPulseAudience] = "To ask a user group, open this form with `/pulse @group`; or choose this channel or people."
		}
		p.AudienceRef = []string{in.Group}
	case AudiencePeople:
		people := dedupe(in.People)
		p.AudienceRef = people
		switch {
		case len(people) == 0:
			fields[FieldPulsePeople] = "Choose the people to ask, or another audience."
		case len(people) > MaxPulsePeople:
			fields[FieldPulsePeople] = fmt.Sprintf("That is %d people; the limit is %d. Ask a channel or a user group instead.", len(people), MaxPulsePeople)
		case p.Anonymous && fields[FieldPulseThreshold] == "" && slices.Contains(people, creator) && len(people)-1 < p.Threshold:
			fields[FieldPulsePeople] = fmt.Sprintf("An anonymous pulse to %s besides you could never show its results: its threshold is %d, "+
				"and your own answer does not count towards it (you know it). Choose at least %d people besides you, or make it not anonymous.",
				countOf(len(people)-1, "person", "people"), p.Threshold, p.Threshold)
		case p.Anonymous && fields[FieldPulseThreshold] == "" && len(people) < p.Threshold:
			fields[FieldPulsePeople] = fmt.Sprintf("An anonymous pulse to %s could never show its results: its threshold is %d. "+
				"Choose at least %d people, or make it not anonymous.", countOf(len(people), "person", "people"), p.Threshold, p.Threshold)
		}
	default:
		fields[FieldPulseAudience] = "Choose who to ask: this channel, a user group or people."
	}

	switch p.Repeat {
	case RepeatNone, RepeatWeekly, RepeatBiweekly, RepeatMonthly:
		if period := p.Repeat.period(); period > 0 && p.OpenFor > period && fields[FieldPulseOpenFor] == "" {
			fields[FieldPulseOpenFor] = fmt.Sprintf("A pulse that repeats %s can be open for at most %s.", p.Repeat.words(), Duration(period))
		}
		if p.Repeat != RepeatNone && !mayRepeat {
			fields[FieldPulseRepeat] = "Only alignbot's admins can schedule a repeating pulse here; send it once, or ask an admin."
		}
	default:
		fields[FieldPulseRepeat] = "Choose none, weekly, every 2 weeks or monthly."
	}
	if len(fields) > 0 {
		return nil, &Error{Code: EINVALID, Message: firstPulseField(fields), Fields: fields}
	}
	return p, nil
}

func checkOptions(options []string) string {
	switch {
	case len(options) < MinPulseOptions:
		return fmt.Sprintf("A choice list needs at least %d options, one a line.", MinPulseOptions)
	case len(options) > MaxPulseOptions:
		return fmt.Sprintf("That is %d options; the limit is %d.", len(options), MaxPulseOptions)
	}
	seen := map[string]bool{}
	for i, o := range options {
		if n := utf8.RuneCountInString(o); n > MaxPulseOption {
			return fmt.Sprintf("Option %d is %d characters long; keep each under %d.", i+1, n, MaxPulseOption+1)
		}
		k := strings.ToLower(o)
		if seen[k] {
			return fmt.Sprintf("Option %d, “%s”, is listed twice.", i+1, truncate(o, 40))
		}
		seen[k] = true
	}
	return ""
}

// ParseThreshold reads an anonymity threshold: a whole number from
// MinPulseThreshold up. Empty means the default. It returns a sentence
// saying what is wrong, or "".
func ParseThreshold(s string) (int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultPulseThreshold, ""
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return 0, fmt.Sprintf("The threshold is a whole number of answers, at least %d; “%s” is not one.", MinPulseThreshold, truncate(strings.Join(strings.Fields(s), " "), 20))
	case n < MinPulseThreshold:
		return 0, fmt.Sprintf("The anonymity threshold can never be below %d: smaller groups would let people guess who answered what.", MinPulseThreshold)
	case n > MaxPulseThreshold:
		return 0, fmt.Sprintf("The threshold can be at most %d.", MaxPulseThreshold)
	}
	return n, ""
}

// period is how long a repeating pulse waits between runs; zero for none.
func (r PulseRepeat) period() time.Duration {
	switch r {
	case RepeatWeekly:
		return 7 * 24 * time.Hour
	case RepeatBiweekly:
		return 14 * 24 * time.Hour
	case RepeatMonthly:
		return 28 * 24 * time.Hour // the shortest month
	}
	return 0
}

// words names the repeat in a sentence ("every 2 weeks").
func (r PulseRepeat) words() string {
	switch r {
	case RepeatWeekly:
		return "weekly"
	case RepeatBiweekly:
		return "every 2 weeks"
	case RepeatMonthly:
		return "monthly"
	}
	return "once"
}

// AnswerInput is what a person picked or typed in answer: Choice indexes
// the pulse's Choices, Text is a free-text answer.
type AnswerInput struct {
	Choice int
	Text   string
}

// value checks an answer against the pulse and returns what is stored.
// Its messages never repeat the answer: they may reach a log line that
// names the person.
func (p *Pulse) value(a AnswerInput) (string, error) {
	if p.Kind == PulseText {
		text := strings.TrimSpace(a.Text)
		msg := ""
		switch n := utf8.RuneCountInString(text); {
		case n == 0:
			msg = "Write an answer, or close this form to leave it."
		case n > MaxPulseAnswer:
			msg = fmt.Sprintf("Your answer is %d characters long; the limit is %d.", n, MaxPulseAnswer)
		}
		if msg != "" {
			return "", &Error{Code: EINVALID, Message: msg, Fields: map[string]string{FieldPulseAnswer: msg}}
		}
		return text, nil
	}
	cs := p.Choices()
	if a.Choice < 0 || a.Choice >= len(cs) {
		msg := "That answer is not one of this pulse's choices."
		return "", &Error{Code: EINVALID, Message: msg, Fields: map[string]string{FieldPulseAnswer: msg}}
	}
	return cs[a.Choice], nil
}

func firstPulseField(fields map[string]string) string {
	for _, f := range []string{FieldPulseQuestion, FieldPulseKind, FieldPulseChoices, FieldPulseScale, FieldPulseAudience,
		FieldPulsePeople, FieldPulseAnonymous, FieldPulseThreshold, FieldPulseOpenFor, FieldPulseRepeat} {
		if m, ok := fields[f]; ok {
			return m
		}
	}
	return ""
}

func maxRunes(ss []string) int {
	m := 0
	for _, s := range ss {
		m = max(m, utf8.RuneCountInString(s))
	}
	return m
}

// countOf writes n with the right noun: "1 person", "3 people".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
