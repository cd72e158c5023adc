package render

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// bareSurfaces are what bare commands show: statuses with their buttons,
// and helps with the channel's own examples.
func bareSurfaces(text string) []surface {
	chk, _ := textCheckin(text)
	sch := &rituals.Schedule{Spec: "30 9 * * 1", Zone: rituals.StoredZone("Europe/Berlin"), NextRunAt: blockerNow}
	open := &rituals.CheckinStatus{Schedule: sch, Window: 24 * time.Hour, Open: chk}
	none := &rituals.CheckinStatus{Window: 24 * time.Hour}
	var out []surface
	out = append(out,
		ephemeral("check-in status open", "Check-in status", append(CheckinStatus(open, blockerNow), CheckinNext(open))),
		ephemeral("check-in status none", "Check-in status", append(CheckinStatus(none, blockerNow), CheckinNext(none))),
		ephemeral("digest status", "digest", DigestStatus("This channel has no weekly digest.\n"+strings.Repeat(Mrkdwn(text)+"\n", 4), false)),
		ephemeral("digest status scheduled", "digest", DigestStatus("This channel's digest comes out every Friday.", true)),
	)
	for _, kind := range []rituals.SessionKind{rituals.SessionPremortem, rituals.SessionRetro} {
		s := textSession(text, kind)
		var many []*rituals.Session
		for range 60 {
			many = append(many, s)
		}
		out = append(out,
			ephemeral(string(kind)+" status", "0 open in this channel", SessionStatus(kind, nil, nil, sessionOpened)),
			ephemeral(string(kind)+" status busy", "60 open in this channel", SessionStatus(kind, many, s.Items, sessionOpened)),
			ephemeral(string(kind)+" help here", "How to use /"+string(kind), WithExamples(SessionHelp(kind), Example{ID: s.ID(), Command: "/" + string(kind) + " close " + s.ID()})),
		)
	}
	return append(out,
		modal("premortem start form", SessionStartModal(ModalMeta{Channel: "C0PLAT", ReplyURL: "https://hooks.slack.com/commands/T1/1/x"}, rituals.SessionPremortem)),
		modal("retro start form", SessionStartModal(ModalMeta{Channel: "C0PLAT"}, rituals.SessionRetro)),
		ephemeral("decide help here", "How to use /decide", WithExamples(DecideHelp(),
			Example{ID: "D-123456789", Command: "/decide show D-123456789"}, Example{Command: "/decide [" + text + "] <text>"})),
		ephemeral("blocker help here", "How to use /blocker", WithExamples(BlockerHelp(), Example{ID: "B-3", Command: "/blocker resolve B-3"})),
		ephemeral("pulse help here", "How to use /pulse", WithExamples(PulseHelp(), Example{ID: "P-2", Command: "/pulse results P-2"})),
		ephemeral("checkin help here", "How to use /checkin", WithExamples([]slack.Block{Section(CheckinUsage)}, Example{Command: "/checkin skip 2026-11-30"})),
	)
}

func TestCheckinNext(t *testing.T) {
	chk, _ := textCheckin("x")
	open := CheckinNext(&rituals.CheckinStatus{Open: chk, Schedule: &rituals.Schedule{}})
	if got := buttons(open); got != "checkin.answer=C0PLAT|"+fmt.Sprint(chk.ScheduledFor.UnixMilli())+" alignbot.setup=checkin(Change schedule)" {
		t.Errorf("with one open: %s", got)
	}
	if got := buttons(CheckinNext(&rituals.CheckinStatus{})); got != "checkin.ahead=ahead alignbot.setup=checkin(Schedule check-in)" {
		t.Errorf("with none: %s", got)
	}
}

func TestDigestAndSessionStatusButtons(t *testing.T) {
	blocks := DigestStatus("None yet.", false)
	if got := buttons(blocks[len(blocks)-1]); got != "alignbot.setup=digest(Schedule digest) digest.now=now digest.preview=preview" {
		t.Errorf("digest: %s", got)
	}
	blocks = SessionStatus(rituals.SessionRetro, nil, nil, sessionOpened)
	if got := buttons(blocks[len(blocks)-1]); got != "session.start=retro" {
		t.Errorf("retro: %s", got)
	}
	for _, kind := range []rituals.SessionKind{rituals.SessionPremortem, rituals.SessionRetro} {
		v := SessionStartModal(ModalMeta{Channel: "C0PLAT"}, kind)
		meta, err := DecodeModalMeta(v.PrivateMetadata)
		if err != nil || string(meta.Extra) != `"`+string(kind)+`"` || v.CallbackID != CallbackSessionStart {
			t.Errorf("%s start form: callback %q, meta %+v, %v", kind, v.CallbackID, meta, err)
		}
		if got, want := len(v.Blocks.BlockSet), map[rituals.SessionKind]int{rituals.SessionPremortem: 3, rituals.SessionRetro: 2}[kind]; got != want {
			t.Errorf("%s start form has %d inputs, want %d (a launch day for a pre-mortem only)", kind, got, want)
		}
	}
}

// buttons lists an actions block's buttons as action=value, with the
// label in parentheses for the setup buttons.
func buttons(b slack.Block) string {
	var out []string
	for _, e := range b.(*slack.ActionBlock).Elements.ElementSet {
		btn := e.(*slack.ButtonBlockElement)
		s := btn.ActionID + "=" + btn.Value
		if btn.ActionID == ActionSetup {
			s += "(" + btn.Text.Text + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestWithExamples(t *testing.T) {
	t.Run("TheChannelsIDTakesThePlaceOfTheGenericOne", func(t *testing.T) {
		got := blockText(WithExamples(DecideHelp(), Example{ID: "D-3", Command: "/decide show D-3"}, Example{Command: "/decide [api] <text>"}))
		if !strings.Contains(got, "`/decide show D-3`") || strings.Contains(got, "D-12") {
			t.Errorf("the help still shows the generic ID: %s", got)
		}
		if !strings.Contains(got, "In this channel, e.g. `/decide [api] \\u0026lt;text\\u0026gt;`") || strings.Contains(got, "`/decide show D-3` ·") {
			t.Errorf("the line under the help: %s", got)
		}
	})
	t.Run("NoPlaceShowsTheCommandUnderTheHelp", func(t *testing.T) {
		got := blockText(WithExamples(PulseHelp(), Example{ID: "P-7", Command: "/pulse results P-7"}))
		if !strings.Contains(got, "In this channel, e.g. `/pulse results P-7`") {
			t.Errorf("pulse help: %s", got)
		}
	})
	t.Run("OtherPrefixesStay", func(t *testing.T) {
		got := blockText(WithExamples(BlockerHelp(), Example{ID: "D-3"}))
		if !strings.Contains(got, "B-7") || strings.Contains(got, "In this channel") {
			t.Errorf("blocker help with a decision's ID: %s", got)
		}
	})
	t.Run("NoDataKeepsTheGenericExample", func(t *testing.T) {
		if got, want := blockText(WithExamples(DecideHelp())), blockText(DecideHelp()); got != want {
			t.Errorf("help without examples changed:\n%s\nwant\n%s", got, want)
		}
	})
}
