package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// checkins are /checkin's handlers: the command, the answer form and
// replies in a check-in's thread.
type checkins struct{ *Bot }

func (b checkins) routes(t *routeTable) {
	t.slash["/checkin"] = b.onCheckin
	t.actions[render.ActionCheckinAnswer] = b.openCheckinAnswer
	t.actions[render.ActionCheckinAhead] = func(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
		b.replyIfError(ctx, r, b.openCheckinAhead(ctx, r))
	}
	t.views[render.CallbackCheckinAnswer] = b.submitCheckinAnswer
	t.views[render.CallbackCheckinAhead] = b.submitCheckinAnswer
	t.threads[rituals.CheckinKind] = b.onCheckinReply
}

// onCheckin handles /checkin.
func (b checkins) onCheckin(ctx context.Context, r *request, text string) {
	cmd, err := parseCheckin(text)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	c := b.caller(ctx, r)
	switch cmd.Op {
	case checkinHelp:
		b.reply(ctx, r, "How to use /checkin", render.WithExamples([]slack.Block{render.Section(render.CheckinUsage)}, b.helpExamples(ctx, r)...)...)
		return
	case checkinAhead:
		if err = b.openCheckinAhead(ctx, r); err == nil {
			return
		}
	case checkinStatus:
		var st *rituals.CheckinStatus
		if st, err = b.Checkins.Status(ctx, c); err == nil {
			b.reply(ctx, r, "Check-in status", append(render.CheckinStatus(st, b.now()), render.CheckinNext(st))...)
			return
		}
	case checkinEvery:
		if cmd.Time.Zone == "" {
			cmd.Time.Zone = c.Location.String()
		}
		if err = b.checkChannel(ctx, r); err == nil {
			var sch *rituals.Schedule
			if sch, err = b.Checkins.SetSchedule(ctx, c, cmd.Time); err == nil {
				b.replyText(ctx, r, fmt.Sprintf("Check-ins here now open every %s at %02d:%02d (%s) and stay open %s. The next one opens %s.",
					render.DescribeDays(cmd.Time.Days), cmd.Time.Hour, cmd.Time.Minute, cmd.Time.Zone, rituals.Duration(sch.Window), render.LocalTime(sch.NextRunAt, sch.Zone)))
				return
			}
		}
	case checkinWindow:
		if err = b.Checkins.SetWindow(ctx, c, cmd.Window); err == nil {
			b.replyText(ctx, r, fmt.Sprintf("Check-ins here now stay open %s.", rituals.Duration(cmd.Window)))
			return
		}
	case checkinNow:
		if err = b.checkChannel(ctx, r); err == nil {
			if _, err = b.Checkins.OpenNow(ctx, c); err == nil {
				return // the prompt in the channel says it all
			}
		}
	case checkinClose:
		if err = b.Checkins.CloseNow(ctx, c); err == nil {
			return // the summary in the thread says it all
		}
	case checkinOff:
		if err = b.Checkins.Off(ctx, c); err == nil {
			b.replyText(ctx, r, "Scheduled check-ins here are off. One that is open stays open until it closes.")
			return
		}
	case checkinSkip:
		if err = b.Checkins.Skip(ctx, c, cmd.Day); err == nil {
			b.replyText(ctx, r, fmt.Sprintf("No check-in here on %s.", cmd.Day))
			return
		}
	case checkinAway:
		if err = b.Checkins.Away(ctx, c, cmd.Day); err == nil {
			b.replyText(ctx, r, fmt.Sprintf("You're away until %s: no check-in reminders, and you won't count as missing.", cmd.Day))
			return
		}
	}
	b.replyError(ctx, r, rituals.Done(err))
}

// openCheckinAhead opens the form that answers the channel's next
// check-in ahead, from `/checkin answer` or the status's button.
func (b checkins) openCheckinAhead(ctx context.Context, r *request) error {
	if err := b.checkChannel(ctx, r); err != nil {
		return err
	}
	b.openModal(ctx, r, render.CheckinAnswerModal(render.ModalMeta{Channel: r.channel, ReplyURL: r.replyURL}, render.CallbackCheckinAhead, "", nil))
	return nil
}

// openCheckinAnswer opens the answer form, filled with the person's
// earlier answer if any.
func (b checkins) openCheckinAnswer(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	channel, scheduledFor, err := render.ParseCheckinRef(a.Value)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	_, mine, err := b.Checkins.ForAnswer(ctx, b.caller(ctx, r), channel, scheduledFor)
	if err != nil {
		b.replyError(ctx, r, err)
		return
	}
	extra, _ := json.Marshal(scheduledFor.UnixMilli())
	b.openModal(ctx, r, render.CheckinAnswerModal(render.ModalMeta{Channel: channel, ReplyURL: r.replyURL, Extra: extra}, render.CallbackCheckinAnswer, channel, mine))
}

// submitCheckinAnswer saves an answer to an open check-in, or one given
// ahead for the next.
func (b checkins) submitCheckinAnswer(ctx context.Context, r *request, meta render.ModalMeta, cb slack.InteractionCallback) error {
	a := readCheckinAnswer(cb.View.State)
	if err := b.resolveLineParties(ctx, r, &a); err != nil {
		return err
	}
	c := b.caller(ctx, r)
	if cb.View.CallbackID == render.CallbackCheckinAhead {
		return rituals.Done(b.Checkins.AnswerAhead(ctx, c, a))
	}
	var ms int64
	if err := json.Unmarshal(meta.Extra, &ms); err != nil {
		return fmt.Errorf("answer form metadata: %w", err)
	}
	return rituals.Done(b.Checkins.Answer(ctx, c, meta.Channel, time.UnixMilli(ms).UTC(), a))
}

// onCheckinReply counts a plain reply in a check-in's thread.
func (b checkins) onCheckinReply(ctx context.Context, r *request, key rituals.MessageKey, reply threadReply) {
	err := b.Checkins.Reply(ctx, b.caller(ctx, r), key, rituals.CheckinReply{User: reply.User, TS: reply.TS, Text: reply.Text})
	if err != nil {
		r.log.Error("check-in reply not recorded", "err", err)
	}
}
