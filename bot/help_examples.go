package bot

import (
	"context"
	"strings"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

// Each command's help shows examples taken from the channel's own data
// where there is some (render.WithExamples): `/decide show D-3` with the
// channel's latest decision, not a made-up one. Each feature looks its
// data up with one small query through its service; a failed lookup
// keeps the generic examples, and is only logged.

// helpExamples are /decide's: the channel's latest decision, and one of
// the team's decision areas.
func (b decisions) helpExamples(ctx context.Context, r *request) []render.Example {
	var out []render.Example
	ds, err := b.Decisions.List(ctx, b.caller(ctx, r), 1)
	if len(ds) > 0 {
		out = append(out, render.Example{ID: ds[0].ID(), Command: "/decide show " + ds[0].ID()})
	}
	if areas := b.areas(ctx, r); len(areas) > 0 {
		out = append(out, render.Example{Command: "/decide [" + areas[0].Area + "] <text>"})
	}
	return examplesOr(r, out, err)
}

// helpExamples are /blocker's: the channel's oldest open blocker.
func (b blockers) helpExamples(ctx context.Context, r *request) []render.Example {
	bs, err := b.Blockers.List(ctx, b.caller(ctx, r))
	if len(bs) == 0 {
		return examplesOr(r, nil, err)
	}
	return []render.Example{{ID: bs[0].ID(), Command: "/blocker resolve " + bs[0].ID()}}
}

// helpExamples are /pulse's: the channel's latest pulse.
func (b pulses) helpExamples(ctx context.Context, r *request) []render.Example {
	ps, err := b.Pulses.List(ctx, b.caller(ctx, r), 1)
	if len(ps) == 0 {
		return examplesOr(r, nil, err)
	}
	return []render.Example{{ID: ps[0].ID(), Command: "/pulse results " + ps[0].ID()}}
}

// helpExamples are /premortem's or /retro's: one open in the channel.
func (b sessions) helpExamples(ctx context.Context, r *request, kind rituals.SessionKind) []render.Example {
	open, _, err := b.Sessions.List(ctx, b.caller(ctx, r), kind)
	if len(open) == 0 {
		return examplesOr(r, nil, err)
	}
	return []render.Example{{ID: open[0].ID(), Command: "/" + string(kind) + " close " + open[0].ID()}}
}

// helpExamples are /checkin's: skipping the channel's next check-in.
func (b checkins) helpExamples(ctx context.Context, r *request) []render.Example {
	st, err := b.Checkins.Status(ctx, b.caller(ctx, r))
	if err != nil || st.Schedule == nil {
		return examplesOr(r, nil, err)
	}
	next := st.Schedule.NextRunAt.In(st.Schedule.Zone.Location()).Format("2006-01-02")
	return []render.Example{{Command: "/checkin skip " + next}}
}

// helpExamples are /digest's: the channel's digest schedule, as the
// command that sets it.
func (b digests) helpExamples(ctx context.Context, r *request) []render.Example {
	sch, err := b.Digests.Schedule(ctx, b.caller(ctx, r))
	if err != nil || sch == nil {
		return examplesOr(r, nil, err)
	}
	next := sch.NextRunAt.In(sch.Zone.Location())
	return []render.Example{{Command: "/digest every " + strings.ToLower(next.Format("Mon 15:04")) + " " + sch.Zone.String()}}
}

// examplesOr returns out, logging err: a help without the channel's
// examples still helps.
func examplesOr(r *request, out []render.Example, err error) []render.Example {
	if err != nil {
		r.log.Warn("help examples not looked up", "err", err)
	}
	return out
}
