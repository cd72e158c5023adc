package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

// maxSectionFields is how many fields Slack shows in one section.
const maxSectionFields = 10

// digestDelivery renders the week's delivery figures, each with its
// change from the week before; nil when neither week had any event (the
// channel has connected no hook, or its hooks were quiet).
func digestDelivery(g *rituals.Digest) []slack.Block {
	now, before := g.Delivery, g.DeliveryBefore
	if now.Empty() && before.Empty() {
		return nil
	}
	fields := []string{
		metricField("Deployment frequency", "deploys this week", deployCount(now.Deploys), countChange(now.Deploys, before.Deploys, !before.Empty())),
		metricField("Lead time for changes", "change started → deployed",
			optionalAge(now.LeadTime, now.HasLeadTime), ageChange(now.LeadTime, now.HasLeadTime, before.LeadTime, before.HasLeadTime)),
		metricField("Change failure rate", "deploys failed or followed by an incident",
			failureValue(now), rateChange(now.FailureRate, now.Deploys > 0, before.FailureRate, before.Deploys > 0)),
		metricField("Time to restore", "incident or failed deploy → restored",
			optionalAge(now.TimeToRestore, now.HasTimeToRestore), ageChange(now.TimeToRestore, now.HasTimeToRestore, before.TimeToRestore, before.HasTimeToRestore)),
		metricField("Review time", "request opened → first review", reviewValue(now, g.ReviewSLA),
			ageChange(now.ReviewTime, now.Reviewed > 0, before.ReviewTime, before.Reviewed > 0)),
	}
	rate, ok := now.PassRate()
	rateBefore, okBefore := before.PassRate()
	fields = append(fields, metricField("Pipeline pass rate", "pipelines finished", passValue(now, rate, ok), rateChange(rate, ok, rateBefore, okBefore)))

	var extra []string
	for _, m := range now.Metrics {
		line := fmt.Sprintf("*%s*\n%s · change: %s", Mrkdwn(m.Name), metricValue(m), metricChange(m, before.Metrics))
		if len(fields) < maxSectionFields {
			fields = append(fields, line)
		} else {
			extra = append(extra, strings.ReplaceAll(line, "\n", ": "))
		}
	}
	objs := make([]*slack.TextBlockObject, len(fields))
	for i, f := range fields {
		objs[i] = MD(f)
	}
	blocks := []slack.Block{
		Section("*Delivery* — from this channel's hooks"),
		slack.NewSectionBlock(nil, objs, nil, slack.SectionBlockOptionBlockID("digest.delivery")),
	}
	if len(extra) > 0 {
		blocks = append(blocks, slack.NewSectionBlock(MD(Clip(strings.Join(extra, "\n"), maxSectionText)), nil, nil,
			slack.SectionBlockOptionBlockID("digest.delivery.more")))
	}
	return blocks
}

func deployCount(n int) string {
	if n == 1 {
		return "1 deploy"
	}
	return strconv.Itoa(n) + " deploys"
}

func countChange(now, before int, hadBefore bool) string {
	if !hadBefore {
		return "—"
	}
	return arrow(float64(now-before), "%.0f")
}

func optionalAge(d time.Duration, ok bool) string {
	if !ok {
		return "—"
	}
	return "median " + rituals.FormatAge(d)
}

func ageChange(now time.Duration, ok bool, before time.Duration, okBefore bool) string {
	return durationChange(rituals.Metric[time.Duration]{Value: now, Has: ok, Before: before, HadBefore: okBefore})
}

func rateChange(now float64, ok bool, before float64, okBefore bool) string {
	return ratioChange(rituals.Metric[float64]{Value: now, Has: ok, Before: before, HadBefore: okBefore})
}

func failureValue(f rituals.DeliveryFigures) string {
	if f.Deploys == 0 {
		return "—"
	}
	return fmt.Sprintf("%s (%d of %d)", percent(f.FailureRate), f.Failures, f.Deploys)
}

func reviewValue(f rituals.DeliveryFigures, sla time.Duration) string {
	if f.Reviewed == 0 {
		return "—"
	}
	v := "median " + rituals.FormatAge(f.ReviewTime)
	if sla > 0 {
		v += fmt.Sprintf(", %d of %d within %s", f.WithinSLA, f.Reviewed, rituals.Duration(sla))
	}
	return v
}

func passValue(f rituals.DeliveryFigures, rate float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%s (%d of %d)", percent(rate), f.Passed, f.Pipelines)
}

func metricValue(m rituals.TeamMetric) string {
	v := strconv.FormatFloat(m.Value, 'f', -1, 64)
	if m.Unit != "" {
		v += " " + Mrkdwn(m.Unit)
	}
	return v
}

// metricChange compares a team metric with its last value the week
// before, if it had one.
func metricChange(m rituals.TeamMetric, before []rituals.TeamMetric) string {
	for _, b := range before {
		if b.Name == m.Name {
			d := m.Value - b.Value
			if d == 0 {
				return "no change"
			}
			v := strconv.FormatFloat(math.Abs(d), 'f', -1, 64)
			if d > 0 {
				return "▲ " + v
			}
			return "▼ " + v
		}
	}
	return "—"
}
