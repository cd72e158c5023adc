package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// Handlers by the name Slack routes on. Each feature adds its entries to
// routes, and nothing else in the edge needs to know it exists.
type (
	// slashHandler gets the command's text, unescaped.
	slashHandler func(ctx context.Context, r *request, text string)
	// actionHandler gets one clicked element of a block_actions payload.
	actionHandler func(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction)
	// shortcutHandler gets a message shortcut.
	shortcutHandler func(ctx context.Context, r *request, cb slack.InteractionCallback)
	// viewHandler saves a submitted modal. An error keeps the modal open,
	// shown next to its fields; nil closes it.
	viewHandler func(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error
	// eventHandler gets an Events API event; r.id is its event_id.
	eventHandler func(ctx context.Context, r *request, ev slackevents.EventsAPIInnerEvent)
	// suggestHandler gives the options of an external select for what the
	// person typed (query). It only reads, and must answer before ctx ends.
	suggestHandler func(ctx context.Context, r *request, query string) []*slack.OptionBlockObject
)

type routeTable struct {
	slash     map[string]slashHandler
	actions   map[string]actionHandler
	shortcuts map[string]shortcutHandler
	views     map[string]viewHandler
	events    map[string]eventHandler
	// suggestions answer external selects, by the block ID of their input.
	suggestions map[string]suggestHandler
	// threads are the rituals that take plain replies in their threads,
	// by the first part of the key of the message that started the thread.
	threads map[string]threadHandler
	// threadChanges are the rituals that follow edits and deletions of
	// those replies, by the same key.
	threadChanges map[string]threadChangeHandler
}

// subscriptions are the manifest's bot events behind each inner event
// type the bot handles.
var subscriptions = map[string][]string{
	"message":         {"message.channels", "message.groups"},
	"app_home_opened": {"app_home_opened"},
}

// routes lists everything the bot answers.
func (b *Bot) routes() routeTable {
	t := b.routeTable()
	if len(t.threads) > 0 {
		// Thread replies arrive as message events: subscribe only when a
		// ritual takes them.
		t.events["message"] = b.onMessage
	}
	return t
}

// feature is one feature's handlers: it adds its entries to a table.
type feature interface{ routes(*routeTable) }

// features are every feature's handlers, over b.
func (b *Bot) features() []feature {
	return []feature{
		decisions{b}, blockers{b}, checkins{b}, pulses{b}, sessions{b}, digests{b}, homes{b},
		onboarding{b},
	}
}

func newRouteTable() routeTable {
	return routeTable{
		slash:     map[string]slashHandler{},
		actions:   map[string]actionHandler{},
		shortcuts: map[string]shortcutHandler{},
		views:     map[string]viewHandler{},
		events:    map[string]eventHandler{},
		threads:   map[string]threadHandler{},

		suggestions:   map[string]suggestHandler{},
		threadChanges: map[string]threadChangeHandler{},
	}
}

// routeTable gathers every feature's routes. Two features never claim
// the same name (TestFeaturesClaimDistinctRoutes): the later would win.
func (b *Bot) routeTable() routeTable {
	t := newRouteTable()
	for _, f := range b.features() {
		f.routes(&t)
	}
	return t
}

// Commands are the slash commands the bot handles; manifest.yaml must
// register exactly these.
func Commands() []string {
	return slices.Sorted(mapKeys((&Bot{}).routes().slash))
}

// MessageShortcuts are the callback IDs of the message shortcuts the bot
// handles; manifest.yaml must register exactly these.
func MessageShortcuts() []string {
	return slices.Sorted(mapKeys((&Bot{}).routes().shortcuts))
}

// Events are the Events API events the bot subscribes to, as the
// manifest names them.
func Events() []string {
	var out []string
	for inner := range (&Bot{}).routes().events {
		if subs, ok := subscriptions[inner]; ok {
			out = append(out, subs...)
		} else {
			out = append(out, inner)
		}
	}
	slices.Sort(out)
	return out
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// onSlash routes a slash command.
func (b *Bot) onSlash(ctx context.Context, r *request, cmd slack.SlashCommand) {
	r.typed = strings.TrimSpace(cmd.Command + " " + cmd.Text)
	h, ok := b.route.slash[cmd.Command]
	if !ok {
		b.replyText(ctx, r, fmt.Sprintf("I don't know the command `%s`.", render.Mrkdwn(render.Clip(cmd.Command, 40))))
		return
	}
	h(ctx, r, render.Unescape(cmd.Text))
}

// onInteraction routes button clicks and shortcuts.
func (b *Bot) onInteraction(ctx context.Context, r *request, cb slack.InteractionCallback) {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		for i := range cb.ActionCallback.BlockActions {
			a := cb.ActionCallback.BlockActions[i]
			if h, ok := b.route.actions[a.ActionID]; ok {
				h(ctx, r, cb, a)
			} else {
				r.log.Warn("unknown action", "action_id", a.ActionID)
			}
		}
	case slack.InteractionTypeMessageAction:
		if h, ok := b.route.shortcuts[cb.CallbackID]; ok {
			h(ctx, r, cb)
		} else {
			r.log.Warn("unknown shortcut", "callback_id", cb.CallbackID)
		}
	}
}

// onViewSubmission saves a submitted modal and returns the ack payload:
// nil closes the modal, field errors keep it open with the person's input.
func (b *Bot) onViewSubmission(ctx context.Context, r *request, cb slack.InteractionCallback) any {
	h, ok := b.route.views[cb.View.CallbackID]
	if !ok {
		r.log.Warn("unknown modal submitted", "callback_id", cb.View.CallbackID)
		return nil
	}
	meta, err := render.DecodeModalMeta(cb.View.PrivateMetadata)
	if err != nil {
		r.log.Error("modal metadata unreadable", "err", err)
		return slack.NewErrorsViewSubmissionResponse(fieldErrors(err, &cb.View))
	}
	if meta.Home {
		// Opened from App Home: the form itself says which channel.
		if meta.Channel, err = b.homeChannel(ctx, r, cb.View.State); err != nil {
			r.log.Info("modal submission refused", "callback_id", cb.View.CallbackID, "reason", rituals.ErrorMessage(err))
			return slack.NewErrorsViewSubmissionResponse(fieldErrors(err, &cb.View))
		}
	}
	r.id = "view:" + cb.View.ID
	r.channel, r.replyURL = meta.Channel, meta.ReplyURL
	r.log = r.log.With("channel", r.channel, "callback_id", cb.View.CallbackID)
	err = h(ctx, r, meta, cb)
	if err == nil {
		return nil
	}
	if rituals.ErrorCode(err) == rituals.EINTERNAL {
		r.log.Error("modal submission failed", "err", err)
	} else {
		r.log.Info("modal submission refused", "reason", rituals.ErrorMessage(err))
	}
	return slack.NewErrorsViewSubmissionResponse(fieldErrors(err, &cb.View))
}

// suggestDeadline bounds the work of answering a block_suggestion, from
// its arrival: Slack waits 3 s, then shows the person no options.
const suggestDeadline = 2500 * time.Millisecond

// optionsAnswer is a block_suggestion's answer. Unlike slack-go's
// OptionsResponse it keeps an empty list, which Slack shows as "no
// results" rather than as a failure.
type optionsAnswer struct {
	Options []*slack.OptionBlockObject `json:"options"`
}

// suggest answers a block_suggestion: the options its input's handler
// gives for what the person typed, or none.
func (t *routeTable) suggest(ctx context.Context, cb slack.InteractionCallback, received time.Time, log *slog.Logger) optionsAnswer {
	out := optionsAnswer{Options: []*slack.OptionBlockObject{}}
	h, ok := t.suggestions[cb.BlockID]
	if !ok {
		log.Warn("unknown select asked for options", "block_id", cb.BlockID)
		return out
	}
	r := &request{team: cb.Team.ID, user: cb.User.ID, received: received,
		log: log.With("interaction", string(cb.Type), "team", cb.Team.ID, "user", cb.User.ID, "block_id", cb.BlockID)}
	sctx, cancel := context.WithDeadline(context.WithoutCancel(ctx), received.Add(suggestDeadline))
	defer cancel()
	if opts := h(sctx, r, cb.Value); opts != nil {
		out.Options = opts
	}
	return out
}

// onEvent routes an Events API event.
func (b *Bot) onEvent(ctx context.Context, r *request, ev slackevents.EventsAPIEvent) {
	if h, ok := b.route.events[ev.InnerEvent.Type]; ok {
		h(ctx, r, ev.InnerEvent)
	}
}
