package rituals

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestPulseThemes(t *testing.T) {
	long := strings.Repeat("deploys are slow ", 1+MaxPulseAnswer/len("deploys are slow "))
	many := make([]string, 3*MaxPulsePeople)
	for i := range many {
		many[i] = fmt.Sprintf("reviews wait, answer %d", i)
	}
	for _, tc := range []struct {
		name     string
		question string
		texts    []string
		limit    int
		want     []PulseTheme
	}{
		{name: "NoAnswers", limit: 5},
		{name: "OneAnswerIsNoTheme", texts: []string{"deploys deploys deploys"}, limit: 5},
		{name: "EmptyAnswers", texts: []string{"", "  \n ", ""}, limit: 5},
		{name: "AllStopWords", texts: []string{"I think that we should", "we should think about it", "should we?"}, limit: 5},
		{name: "NothingRecurs", texts: []string{"deploys", "meetings", "hiring"}, limit: 5},
		{name: "ZeroLimit", texts: []string{"deploys", "deploys"}, limit: 0},
		{
			name:  "CountsAnswersNotMentions",
			texts: []string{"Deploys, deploys, DEPLOYS!", "deploys are slow", "slow reviews"},
			limit: 5,
			want: []PulseTheme{
				{Word: "deploys", Answers: 2, Example: "deploys are slow"},
				{Word: "slow", Answers: 2, Example: "slow reviews"},
			},
		},
		{
			name: "PluralsFoldIntoOneThemeShownAsTheCommonerForm",
			texts: []string{"Priorities change weekly", "too many priorities", "no clear priority", "priorities?",
				"processes are heavy", "the process"},
			limit: 5,
			want: []PulseTheme{
				{Word: "priorities", Answers: 4, Example: "priorities?"},
				{Word: "process", Answers: 2, Example: "the process"},
			},
		},
		{
			name:     "QuestionWordsLeftOut",
			question: "What slows our releases down?",
			texts:    []string{"releases slow", "release process slows", "process"},
			limit:    5,
			want:     []PulseTheme{{Word: "process", Answers: 2, Example: "process"}},
		},
		{
			name:  "PunctuationAndApostrophes",
			texts: []string{"on-call (again)... don't", "On-call; doesn't help", "“on call” isn't fun"},
			limit: 5,
			want:  []PulseTheme{{Word: "call", Answers: 3, Example: "“on call” isn't fun"}},
		},
		{
			name:  "UnicodeAndEmoji",
			texts: []string{"Überstunden 😩 zu viele", "überstunden!!", "🚀🚀🚀", "Café crème", "café"},
			limit: 5,
			want: []PulseTheme{
				{Word: "café", Answers: 2, Example: "café"},
				{Word: "überstunden", Answers: 2, Example: "überstunden!!"},
			},
		},
		{
			name: "NumbersLinksMentionsAndLongTokensAreNoThemes",
			texts: []string{"2026 https://example.com/a <@U0ANN> <#C0TEAM|team> www.example.org " + strings.Repeat("x", maxThemeWord+1),
				"2026 http://example.com <@U0ANN> " + strings.Repeat("x", maxThemeWord+1)},
			limit: 5,
		},
		{
			name:  "TiesBrokenAlphabetically",
			texts: []string{"zebra yak", "yak zebra", "alpaca", "alpaca"},
			limit: 2,
			want: []PulseTheme{
				{Word: "alpaca", Answers: 2, Example: "alpaca"},
				{Word: "yak", Answers: 2, Example: "zebra yak"},
			},
		},
		{
			name:  "VeryLongAnswersAreReadOnlyToTheLimitAndClipped",
			texts: []string{long, long + " tail", "tail"},
			limit: 5,
			want: []PulseTheme{
				{Word: "deploys", Answers: 2, Example: string([]rune(strings.Join(strings.Fields(long), " "))[:MaxThemeExample-1]) + "…"},
				{Word: "slow", Answers: 2, Example: string([]rune(strings.Join(strings.Fields(long), " "))[:MaxThemeExample-1]) + "…"},
			},
		},
		{
			name:  "ManyAnswersAreBounded",
			texts: many,
			limit: 5,
			want: []PulseTheme{
				{Word: "answer", Answers: maxThemeAnswers, Example: "reviews wait, answer 0"},
				{Word: "reviews", Answers: maxThemeAnswers, Example: "reviews wait, answer 0"},
				{Word: "wait", Answers: maxThemeAnswers, Example: "reviews wait, answer 0"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := PulseThemes(tc.question, tc.texts, tc.limit)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("themes (-want +got):\n%s", diff)
			}
			for _, th := range got {
				if n := utf8.RuneCountInString(th.Example); n > MaxThemeExample {
					t.Fatalf("example of %d characters", n)
				}
			}
		})
	}
}

func TestThemeStem(t *testing.T) {
	for w, want := range map[string]string{
		"priorities": "priority", "processes": "process", "process": "process", "deploys": "deploy",
		"status": "status", "analysis": "analysis", "bus": "bus", "tests": "test", "cafés": "cafés",
	} {
		if got := themeStem(w); got != want {
			t.Errorf("themeStem(%q)=%q, want %q", w, got, want)
		}
	}
}

func TestBuildPulseReportThemes(t *testing.T) {
	p := &Pulse{Number: 4, Kind: PulseText, Question: "What slows us down?", Anonymous: true, Threshold: 3, Status: PulseClosed}
	t.Run("ShownWithTheAnswers", func(t *testing.T) {
		res := &PulseResults{Texts: []string{"flaky tests", "slow reviews", "tests again"}}
		r := BuildPulseReport(p, []PulseCount{{Asked: 5, Answered: 3, Others: 3}}, res, nil, nil)
		if len(r.Themes) != 1 || r.Themes[0].Word != "tests" || r.Themes[0].Answers != 2 {
			t.Fatalf("themes %+v", r.Themes)
		}
	})
	t.Run("NoneBelowTheThreshold", func(t *testing.T) {
		// The creator's own answer does not count: two others are fewer
		// than three, so neither answers nor themes show.
		res := &PulseResults{Texts: []string{"flaky tests", "slow reviews", "tests again"}}
		r := BuildPulseReport(p, []PulseCount{{Asked: 5, Answered: 3, Others: 2}}, res, nil, nil)
		if r.All.Shown || r.Texts != nil || r.Themes != nil {
			t.Fatalf("below the threshold: texts %v themes %+v", r.Texts, r.Themes)
		}
	})
}
