package render

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// surfaceKind is where a surface shows, which decides who it can notify.
type surfaceKind string

const (
	// surfaceMessage is posted in a channel, a thread or a DM: its text and
	// blocks notify the people they mention.
	surfaceMessage surfaceKind = "message"
	// surfaceEphemeral is a reply only its caller sees, sent to the
	// command's response_url or, without one, by chat.postEphemeral; the
	// payload is the same either way.
	surfaceEphemeral surfaceKind = "ephemeral"
	surfaceModal     surfaceKind = "modal"
	surfaceHome      surfaceKind = "home"
)

// surface is one payload the bot can send to Slack, as rendered.
type surface struct {
	name string // unique in the catalogue
	kind surfaceKind
	// text is a message's or ephemeral's top-level text: its notification,
	// and what clients without blocks show.
	text   string
	blocks []slack.Block
	// view is a modal's slack.ModalViewRequest or App Home's
	// slack.HomeTabViewRequest.
	view any
	// groups are the user groups the surface mentions by design.
	groups []string
}

// mentioning declares the user groups s mentions by design.
func (s surface) mentioning(groups ...string) surface {
	s.groups = groups
	return s
}

func message(name, text string, blocks []slack.Block) surface {
	return surface{name: name, kind: surfaceMessage, text: text, blocks: blocks}
}

// textReplySurface is a mrkdwn reply as replyText sends it.
func textReplySurface(name, text string) surface {
	fallback, blocks := TextReply(text)
	return ephemeral(name, fallback, blocks)
}

func ephemeral(name, text string, blocks []slack.Block) surface {
	return surface{name: name, kind: surfaceEphemeral, text: text, blocks: blocks}
}

func modal(name string, v slack.ModalViewRequest) surface {
	return surface{name: name, kind: surfaceModal, view: v}
}

// payload is what goes to Slack besides the top-level text.
func (s surface) payload() any {
	if s.view != nil {
		return s.view
	}
	return s.blocks
}

// shownText is one text a surface shows, with its format: "mrkdwn" or
// "plain_text". A message's top-level text is mrkdwn.
type shownText struct{ format, text string }

// texts returns every text s shows: its top-level text and every text
// object in its blocks or view. Values, IDs and metadata are not shown.
func (s surface) texts(t testing.TB) []shownText {
	t.Helper()
	var out []shownText
	if s.text != "" {
		out = append(out, shownText{"mrkdwn", s.text})
	}
	return append(out, textObjects(t, s.payload())...)
}

// textObjects returns the text objects in v (blocks or a view), as Slack
// receives them.
func textObjects(t testing.TB, v any) []shownText {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var out []shownText
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			format, _ := v["type"].(string)
			if text, ok := v["text"].(string); ok && (format == "mrkdwn" || format == "plain_text") {
				out = append(out, shownText{format, text})
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	return out
}

// allSurfaces renders every message, ephemeral reply, modal and App Home
// the bot can produce, with text in every field a person fills in: titles,
// decisions, blocker and item texts, names, questions, choices, answers,
// roles, areas, links and sources. IDs (people, channels, groups) are
// fixed, as Slack gives them. The catalogue is a plain function over
// domain values: add a surface here when you add a renderer.
func allSurfaces(text string) []surface {
	var out []surface
	for _, part := range [][]surface{
		decisionSurfaces(text), blockerSurfaces(text), checkinSurfaces(text), pulseSurfaces(text),
		sessionSurfaces(text), digestSurfaces(text), homeSurfaces(text), replySurfaces(text),
		onboardingSurfaces(text), bareSurfaces(text),
	} {
		out = append(out, part...)
	}
	return out
}

func decisionSurfaces(text string) []surface {
	d := textDecision(text, rituals.StatusDecided)
	proposed := textDecision(text, rituals.StatusProposed)
	proposed.Number, proposed.Owner = 13, "" // named only by OwnerName
	private := textDecision(text, rituals.StatusProposed)
	private.ChannelPrivate = true
	links := CardLinks{
		SupersededBy: &LinkedDecision{ID: "D-14", Title: text, URL: "https://acme.slack.com/archives/C0PLAT/p1"},
		Supersedes:   &LinkedDecision{ID: "D-3", Title: text},
	}
	versions := []rituals.DecisionVersion{{Version: 1, Title: text + "0", Text: text + "0", Rationale: "", Impact: text + "0",
		Links: []string{text + "0"}, Owner: "U0BOB", OwnerName: text, Status: rituals.StatusProposed, Area: text + "0",
		ReplacedBy: "U0ANN", ReplacedAt: sessionOpened}}
	right := &rituals.Right{Area: text, Owner: "U0ANN", Consulted: []string{"U0BOB"}, Informed: []string{"C0DATA"}}
	raci := &rituals.Right{Area: text, Owner: "S0PLAT", Responsible: []string{"U0BOB", "C0DATA"}, Consulted: []string{"S0SRE"}, Informed: []string{"C0DATA"}}
	awaiting := textDecision(text, rituals.StatusProposed)
	awaiting.Number, awaiting.Owner, awaiting.OwnerName, awaiting.ProposedBy, awaiting.Area = 15, "S0PLAT", need(text, maxName), "U0EVE", need(text, 40)
	sentBack := textDecision(text, rituals.StatusDropped)
	sentBack.ProposedBy, sentBack.SentBack, sentBack.Area = "U0EVE", need(text, rituals.MaxRationale), need(text, 40)
	meta := ModalMeta{Channel: "C0PLAT", Number: 12, Source: fit(text, maxPermalink)}
	thread := fit(text, maxPermalink)
	var comments []rituals.Comment
	for i, u := range []string{"U0ANN", "U0BOB", "U0EVE", "U0ANN"} {
		comments = append(comments, rituals.Comment{User: u, UserName: need(text, maxName), Text: need(text, rituals.MaxComment),
			Clipped: i == 3, At: sessionOpened.Add(time.Duration(i) * time.Hour)})
	}
	out := []surface{
		message("decision card", DecisionFallback(d), DecisionCard(d, links)),
		message("decision card proposed", DecisionFallback(proposed), DecisionCard(proposed, CardLinks{})),
		ephemeral("decision list", "decisions", DecisionList("*The last 3 decisions in this channel*", "none", []*rituals.Decision{d, proposed, private}, false)),
		ephemeral("decision search", "decisions match", DecisionSearch(text, []*rituals.Decision{d, proposed})),
		ephemeral("decision search empty", "decisions match", DecisionSearch(text, nil)),
		ephemeral("decision similar", "Did we already decide this?", SimilarDecisions(d, []*rituals.Decision{proposed}, "C0OTHER")),
		ephemeral("decision history", "History of D-12", DecisionHistory(d, versions, nil, "")),
		ephemeral("decision history comments", "History of D-12", DecisionHistory(d, versions, comments, thread)),
		ephemeral("decision show comments", "D-12", WithComments(DecisionCard(proposed, CardLinks{}), DecisionComments(proposed, comments, thread))),
		ephemeral("decision show no comments", "D-12", WithComments(DecisionCard(proposed, CardLinks{}), DecisionComments(proposed, nil, ""))),
		ephemeral("decision rights", "Decision rights", RightsList([]*rituals.Right{right})),
		ephemeral("decision help", "How to use /decide", DecideHelp()),
		modal("decision form", DecisionModal(meta, DecisionInput(d), []*rituals.Right{right})),
		modal("decision form from home", DecisionModal(ModalMeta{Home: true}, rituals.QuickDecision(text), nil)),
		modal("decision rationale form", RationaleModal(meta, text)),
		modal("decision mark decided form", MarkDecidedModal(meta, text, 0, "")),
		modal("decision mark decided form comments", MarkDecidedModal(meta, text, len(comments), thread)),
		modal("decision drop form", StatusModal(meta, proposed, "drop")),
		modal("decision deprecate form", StatusModal(meta, d, "deprecate")),
		message("decision card awaiting", DecisionFallback(awaiting), DecisionCard(awaiting, CardLinks{})),
		message("decision card sent back", DecisionFallback(sentBack), DecisionCard(sentBack, CardLinks{})),
		modal("decision send back form", SendBackModal(meta, awaiting)),
		modal("decision form team owner", DecisionModal(meta, DecisionInput(awaiting), nil)),
		ephemeral("decision rights raci", "Decision rights", RightsList([]*rituals.Right{raci})),
	}
	// A team that is asked to accept, or escalated to, is mentioned once,
	// by design: those messages are for it.
	fallback, blocks := DecisionReminder(awaiting, rituals.ReminderAccept, "")
	out = append(out, message("decision ask accountable team", fallback, blocks).mentioning("S0PLAT"))
	fallback, blocks = DecisionReminder(private, rituals.ReminderAccept, "")
	out = append(out, message("decision ask accountable private", fallback, blocks))
	fallback, blocks = DecisionReminder(awaiting, rituals.ReminderDue, awaiting.DecideBy)
	out = append(out, message("decision reminder due awaiting team", fallback, blocks).mentioning("S0PLAT"))
	teamOwned := textDecision(text, rituals.StatusProposed)
	teamOwned.Owner = "S0PLAT"
	fallback, blocks = DecisionReminder(teamOwned, rituals.ReminderAfter, teamOwned.DecideBy.AddDays(1))
	out = append(out, message("decision reminder after team", fallback, blocks).mentioning("S0PLAT"))
	for _, dd := range []*rituals.Decision{awaiting, private} {
		fallback, blocks := DecisionClimb(dd, "C0LEADS")
		out = append(out, message("decision climb"+map[bool]string{true: " private"}[dd.ChannelPrivate], fallback, blocks))
		fallback, blocks = DecisionEscalation(dd, "S0PLAT")
		out = append(out, message("decision escalation team"+map[bool]string{true: " private"}[dd.ChannelPrivate], fallback, blocks).mentioning("S0PLAT"))
	}
	for _, dd := range []*rituals.Decision{awaiting, private} {
		fallback, blocks := CommentReminder(dd, fit(text, maxPermalink))
		out = append(out, message("decision comment reminder"+map[bool]string{true: " private"}[dd.ChannelPrivate], fallback, blocks))
	}
	for _, kind := range []rituals.ReminderKind{rituals.ReminderDue, rituals.ReminderAfter, rituals.ReminderRevisit} {
		for _, dd := range []*rituals.Decision{proposed, private} {
			today := dd.DecideBy
			if kind == rituals.ReminderAfter {
				today = today.AddDays(1)
			}
			fallback, blocks := DecisionReminder(dd, kind, today)
			out = append(out, message("decision reminder "+string(kind)+map[bool]string{true: " private"}[dd.ChannelPrivate], fallback, blocks))
		}
	}
	return out
}

func blockerSurfaces(text string) []surface {
	b := textBlocker(text)
	resolved := textBlocker(text)
	resolved.Status, resolved.ResolvedBy, resolved.Resolution = rituals.BlockerResolved, "U0BOB", text
	resolved.ResolvedAt = blockerNow
	resolved.TimeToResolve = resolved.ResolvedAt.Sub(resolved.CreatedAt)
	card := func(name string, b *rituals.Blocker) surface {
		// The one message that mentions the group the blocker names.
		return message(name, BlockerFallback(b), BlockerCard(b, blockerNow)).mentioning("S0DATA")
	}
	meta := ModalMeta{Channel: "C0PLAT", Number: 7, Source: fit(text, maxPermalink)}
	out := []surface{
		card("blocker card", b), card("blocker card resolved", resolved),
		// Shown to the caller only, so it notifies nobody.
		ephemeral("blocker list", "1 blocker open in this channel", BlockerList([]*rituals.Blocker{b}, blockerNow)).mentioning("S0DATA"),
		ephemeral("blocker help", "How to use /blocker", BlockerHelp()),
		modal("blocker form", BlockerModal(meta, BlockerForm{Text: text, Parties: b.Parties})),
		modal("blocker form from home", BlockerModal(ModalMeta{Home: true}, BlockerForm{})),
		modal("blocker resolve form", ResolveModal(meta, b)),
	}
	notices := []struct {
		name, event, to string
		b               *rituals.Blocker
	}{
		{"blocker notice to a person", rituals.NoticeReported, "U0BOB", b},
		{"blocker notice to a group's member", rituals.NoticeReported, "U0CAT", b},
		{"blocker notice to a channel", rituals.NoticeReported, "C0DATA", b},
		{"blocker escalation to the reporter", rituals.NoticeEscalated, "U0ANN", b},
		{"blocker escalation to a group's member", rituals.NoticeEscalated, "U0CAT", b},
		{"blocker resolution", rituals.NoticeResolved, "U0ANN", resolved},
	}
	climbed := textBlocker(text)
	climbed.ClimbedAt, climbed.ClimbedTo, climbed.SLA = blockerNow.Add(-time.Hour), "C0LEADS", 36*time.Hour
	notices = append(notices, []struct {
		name, event, to string
		b               *rituals.Blocker
	}{
		{"blocker climb to a person", rituals.NoticeClimbed, "U0LEAD", climbed},
		{"blocker climb to a channel", rituals.NoticeClimbed, "C0LEADS", climbed},
	}...)
	for _, n := range notices {
		fallback, blocks := BlockerNotice(n.b, rituals.BlockerNoticeData{Event: n.event, SLA: "72h"}, n.to, "https://acme.slack.com/archives/C0PLAT/p7", blockerNow)
		out = append(out, message(n.name, fallback, blocks))
	}
	inbound := textBlocker(text)
	inbound.Channel, inbound.SLA = "C0PAY", 72*time.Hour
	hidden := textBlocker(text)
	hidden.Channel, hidden.ChannelPrivate = "G0SEC", true
	hidden = hidden.SeenFrom("C0PLAT")
	waiting := []*rituals.Blocker{inbound, climbed, hidden}
	out = append(out, card("blocker card climbed", climbed),
		ephemeral("blocker list with inbound", "1 blocker open in this channel; 3 blockers waiting on this team",
			append(BlockerList([]*rituals.Blocker{b}, blockerNow), WaitingOnTeam(waiting, "C0PLAT", blockerNow)...)).mentioning("S0DATA"))
	return out
}

func checkinSurfaces(text string) []surface {
	chk, answer := textCheckin(text)
	closedChk, _ := textCheckin(text)
	closedChk.ClosedAt = closedChk.ClosesAt
	closedChk.Answered, closedChk.Blockers, closedChk.Decisions = 1, []int64{8}, []int64{20}
	replies := []rituals.CheckinReply{{User: "U0BOB", TS: "1.2", Text: text}, {User: "U0BOB", TS: "1.3", Text: text}}
	status := &rituals.CheckinStatus{Window: 24 * time.Hour, Open: chk, Last: closedChk, Skips: []rituals.Date{"2026-12-24"}}
	return []surface{
		message("check-in prompt", "Weekly alignment check-in — "+CheckinDay(chk), CheckinPrompt(chk, []string{"U0BOB"}, blockerNow)),
		message("check-in prompt closed", "Weekly alignment check-in — "+CheckinDay(closedChk), CheckinPrompt(closedChk, nil, blockerNow)),
		message("check-in answer", "Check-in answer from "+Person(answer.User, ""), CheckinAnswer(answer)),
		message("check-in summary", "Check-in closed: 1 of 4 answered", CheckinSummary(closedChk, []rituals.CheckinAnswer{answer}, replies)),
		message("check-in summary empty", "Check-in closed: 0 of 4 answered", CheckinSummary(closedChk, nil, nil)),
		message("check-in reminder", "The check-in closes soon, and you haven't answered yet.", CheckinReminder(chk)),
		ephemeral("check-in status", "Check-in status", CheckinStatus(status, blockerNow)),
		ephemeral("check-in help", "How to use /checkin", []slack.Block{Section(CheckinUsage)}),
		modal("check-in answer form", CheckinAnswerModal(ModalMeta{Channel: "C0PLAT"}, CallbackCheckinAnswer, "C0PLAT", &answer)),
		modal("check-in answer-ahead form", CheckinAnswerModal(ModalMeta{Channel: "C0PLAT"}, CallbackCheckinAhead, "C0PLAT", nil)),
		message("check-in prompt with inbound", "Weekly alignment check-in — "+CheckinDay(chk), CheckinPrompt(inboundCheckin(text), nil, blockerNow)),
		message("check-in prompt with action items", "Weekly alignment check-in — "+CheckinDay(chk), CheckinPrompt(actionsCheckin(text), nil, blockerNow)),
	}
}

// catalogueTicket is an answer ticket as large as a DM carries one: a
// token and two key shares (the whole audience and a role) of a pulse to
// 10,000 people.
var catalogueTicket = rituals.PulseTicket{
	Token:  strings.Repeat("T", 22),
	Shares: []string{"10000." + strings.Repeat("A", 43), "9999." + strings.Repeat("B", 43)},
}

// textAnswer is an answer to p: one of its choices, or text.
func textAnswer(text string, p *rituals.Pulse) string {
	if p.Kind == rituals.PulseText {
		return need(text, rituals.MaxPulseAnswer)
	}
	return p.Choices()[0]
}

func pulseSurfaces(text string) []surface {
	var out []surface
	for _, kind := range []rituals.PulseKind{rituals.PulseScale, rituals.PulseYesNo, rituals.PulseChoice, rituals.PulseText} {
		p := textPulse(text, kind)
		k := string(kind)
		out = append(out,
			message("pulse prompt "+k, PulsePromptFallback(p), PulsePrompt(p, catalogueTicket, "")),
			message("pulse prompt answered "+k, PulsePromptFallback(p), PulsePrompt(p, catalogueTicket, textAnswer(text, p))),
			message("pulse reminder "+k, "Reminder: "+PulsePromptFallback(p), PulseReminder(p, "https://acme.slack.com/archives/D0ANN/p3")),
			modal("pulse answer form "+k, PulseAnswerModal(ModalMeta{Channel: "D0ANN", Number: 3}, p, catalogueTicket, textAnswer(text, p))),
		)
		for _, shown := range []bool{true, false} {
			r := textReport(text, p, shown)
			name := "pulse results " + k + map[bool]string{false: " held back"}[shown]
			out = append(out, message(name, PulseResultsFallback(r), PulseResults(r)))
			f := NewPulseFollowUp(r, fit(text, maxPermalink))
			meta := ModalMeta{Channel: "C0PLAT", Source: fit(text, maxPermalink)}
			out = append(out, modal(name+" decision form", DecisionModal(meta, f.Decision("U0ANN"), nil)),
				modal(name+" blocker form", BlockerModal(meta, f.Blocker())))
		}
	}
	p := textPulse(text, rituals.PulseScale)
	canceled := textPulse(text, rituals.PulseYesNo)
	canceled.Status, canceled.Note = rituals.PulseCanceled, text
	in := rituals.PulseInput{Question: text, Kind: rituals.PulseChoice, Choices: text + "\n" + text + "2", ScaleLabels: text + "\n" + text}
	role := need(text, rituals.MaxRoleName-1)
	roles := []rituals.PulseRole{{Group: "S0ENG", Role: role}, {Group: "S0PM", Role: role + "2"}}
	out = append(out,
		ephemeral("pulse list", "pulses", PulseList([]*rituals.Pulse{p, canceled})),
		ephemeral("pulse line", "pulse", []slack.Block{Section(PulseLine(p))}),
		textReplySurface("pulse roles", PulseRoles(roles)).mentioning("S0ENG", "S0PM"),
		textReplySurface("pulse roles of people", PulseRoles(append(roles, rituals.PulseRole{User: "U0ANN", Role: role},
			rituals.PulseRole{User: "U0BOB", Role: role + "3"}))).mentioning("S0ENG", "S0PM", "U0ANN", "U0BOB"),
		ephemeral("pulse templates", "Ready-to-send pulses", PulseTemplates()),
		ephemeral("pulse help", "How to use /pulse", PulseHelp()),
		modal("pulse form", PulseModal(ModalMeta{Channel: "C0PLAT"}, in, text)),
	)
	return out
}

func sessionSurfaces(text string) []surface {
	var out []surface
	for _, kind := range []rituals.SessionKind{rituals.SessionPremortem, rituals.SessionRetro} {
		k := string(kind)
		s := textSession(text, kind)
		closedS := textSession(text, kind)
		closedS.Status, closedS.ClosedAt, closedS.ClosedBy = rituals.SessionClosed, closedS.ClosesAt, "U0ANN"
		out = append(out,
			message(k+" parent", SessionFallback(s, ""), SessionParent(s)),
			message(k+" parent closed", SessionFallback(closedS, ""), SessionParent(closedS)),
			message(k+" summary", SessionFallback(closedS, ": summary"), SessionSummary(closedS)),
			ephemeral(k+" list", "open in this channel", SessionList(kind, []*rituals.Session{s}, s.Items, sessionOpened.AddDate(1, 0, 0))),
			ephemeral(k+" help", "How to use /"+k, SessionHelp(kind)),
			modal(k+" owner form", SessionOwnerModal(ModalMeta{Channel: "C0PLAT", Number: 4}, s.Items[0])),
		)
		for _, it := range s.Items {
			out = append(out, message(fmt.Sprintf("%s item #%d", k, it.Number), SessionItemFallback(it), SessionItemCard(s, it)))
		}
		for _, ik := range kind.Kinds() {
			out = append(out, modal(k+" item form "+string(ik), SessionItemModal(ModalMeta{Channel: "C0PLAT", Number: 4}, s, ik)))
		}
		for _, private := range []bool{false, true} {
			s.ChannelPrivate = private
			fallback, blocks := SessionReminder(s, s.Items[0], s.Items[0].Due.AddDays(2))
			out = append(out, message(k+" reminder"+map[bool]string{true: " private"}[private], fallback, blocks))
			fallback, blocks = SessionOverdueReminder(s, s.Items[0], 7)
			out = append(out, message(k+" overdue reminder"+map[bool]string{true: " private"}[private], fallback, blocks))
		}
	}
	followUp := textSession(text, rituals.SessionPremortem)
	followUp.Items[0].HappenedAt, followUp.Items[0].HappenedBy = sessionOpened, "U0BOB"
	empty := textSession(text, rituals.SessionPremortem)
	empty.Items = nil
	return append(out,
		message("premortem follow-up", SessionFollowUpFallback(followUp), SessionFollowUp(followUp)),
		message("premortem follow-up empty", SessionFollowUpFallback(empty), SessionFollowUp(empty)),
		message("premortem summary empty", SessionFallback(empty, ": summary"), SessionSummary(empty)))
}

func digestSurfaces(text string) []surface {
	g := textDigest(text)
	ref := rituals.DigestRef{Channel: "C0PLAT", End: digestEnd.UnixMilli(), Zone: rituals.StoredZone("Europe/Berlin")}
	out := []surface{
		message("digest", DigestFallback(g), Digest(g, ref, "https://acme.slack.com/archives/C0PLAT/p9")),
		ephemeral("digest help", "How to use /digest", []slack.Block{Section(DigestUsage)}),
	}
	withInbound := textDigest(text)
	withInbound.Inbound = inboundWeek(text)
	out = append(out, message("digest with inbound", DigestFallback(withInbound), Digest(withInbound, ref, "")))
	title, blocks := DigestFullList(withInbound, listInbound)
	out = append(out, ephemeral("digest list inbound", title, blocks))
	for _, l := range digestLists(g) {
		title, blocks := DigestFullList(g, l.name)
		out = append(out, ephemeral("digest list "+l.name, title, blocks))
	}
	return out
}

func homeSurfaces(text string) []surface {
	// Only the person it belongs to sees it.
	return []surface{
		{name: "app home", kind: surfaceHome, view: HomeView(textHome(text)), groups: []string{"S0DATA"}},
		{name: "app home empty", kind: surfaceHome, view: HomeView(&rituals.Home{Team: "T1", User: "U0EVE", At: homeAt, Today: "2026-11-28"})},
		{name: "app home tour", kind: surfaceHome, view: HomeView(func() *rituals.Home { h := textHome(text); h.Tour = true; return h }()), groups: []string{"S0DATA"}},
	}
}

// onboardingSurfaces are /alignbot and the welcome, bare and with every
// setting set (many areas, named by people).
func onboardingSurfaces(text string) []surface {
	sch := &rituals.Schedule{Zone: rituals.StoredZone("Europe/Berlin"), NextRunAt: homeAt}
	var areas []string
	for i := 0; i < 30; i++ {
		areas = append(areas, fmt.Sprintf("%s %d", text, i))
	}
	bare := ChannelSetup{Channel: "C0PLAT", SLA: rituals.DefaultSLA, SLADefault: true}
	full := ChannelSetup{Channel: "C0PLAT", Checkin: sch, Digest: sch, SLA: 48 * time.Hour, Areas: areas}
	var out []surface
	absent := bare
	absent.Absent = true
	for name, s := range map[string]ChannelSetup{"bare": bare, "set up": full, "absent": absent} {
		text, blocks := Alignbot(s)
		out = append(out, ephemeral("alignbot "+name, text, blocks))
		text, blocks = Welcome(s)
		out = append(out, message("welcome "+name, text, blocks))
	}
	for _, setting := range []string{SetupCheckin, SetupDigest, SetupSLA, SetupAreas} {
		text, _ := SetupCommand(setting)
		out = append(out, textReplySurface("setup "+setting, text))
	}
	return out
}

// replySurfaces are the ephemeral answers handlers put together: errors
// (which quote what was typed) and plain notices.
func replySurfaces(text string) []surface {
	refused := rituals.Errorf(rituals.EINVALID, "%q is not a date; write it as YYYY-MM-DD, e.g. 2026-05-01.", text)
	failed := rituals.Errorf(rituals.EINTERNAL, "Something went wrong.")
	notice, noticeBlocks := Notice(rituals.NoticeData{Text: text, Mention: []string{"U0BOB"}})
	out := []surface{
		textReplySurface("error", ErrorText(refused, "")),
		textReplySurface("error with what was typed", ErrorText(failed, text)),
		message("notice", notice, noticeBlocks),
	}
	// A hook's ID and secret are alignbot's own: URL-safe, of fixed size.
	var hooks []*rituals.Hook
	for _, src := range rituals.HookSources() {
		h := &rituals.Hook{ID: "h0123456789abcdef", Source: src, Secret: strings.Repeat("s", 43), LastDelivery: homeAt}
		hooks = append(hooks, h)
		out = append(out, textReplySurface("hook connected "+src, HookConnected(h, "https://alignbot.example.com/")))
	}
	out = append(out, textReplySurface("hooks listed", HookLines(hooks, 36*time.Hour, rituals.StoredZone("Europe/Berlin"))))
	return out
}
