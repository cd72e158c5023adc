package delivery

// Sending a channel's weekly digest and its chart, from the outbox.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/chart"
	"github.com/alignbot/alignbot/rituals"
)

// sendDigest builds the digest an item names and posts it in its channel.
func (dl *Deliverer) sendDigest(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	ref, err := decodeDigestRef(it)
	if err != nil {
		return "", "", err
	}
	g, err := dl.Digests.Build(ctx, it.Team, ref)
	if err != nil {
		return "", "", err
	}
	return dl.post(ctx, it, "", render.DigestFallback(g), render.Digest(g, ref, dl.CheckinLink(ctx, it.Team, g)))
}

// sendDigestChart draws the chart of the digest an item names and uploads
// it into its channel: files.getUploadURLExternal, the upload, then
// files.completeUploadExternal, which shares it. The shared message
// carries the item's ID in a block ID, so an attempt after one that may
// have got through first looks for it, and never uploads twice.
func (dl *Deliverer) sendDigestChart(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	ref, err := decodeDigestRef(it)
	if err != nil {
		return "", "", err
	}
	tag := "digest.chart." + it.ID
	if it.Doubt {
		ch, ts, err := dl.findInHistory(ctx, it, func(m slack.Message) bool { return hasBlockID(m, tag) })
		if err != nil || ts != "" {
			return ch, ts, err
		}
	}
	g, err := dl.Digests.Build(ctx, it.Team, ref)
	if err != nil {
		return "", "", err
	}
	loc := g.Zone.Location()
	png, err := chart.Weekly(g.Weeks, loc)
	if err != nil {
		return "", "", errPermanent{err.Error()}
	}
	alt := "Four charts of the last 8 weeks: decisions per week, median open-blocker age in days, check-in participation in percent, pulse means from 1 to 5."
	what := "decisions per week, median open-blocker age, check-in participation and pulse means"
	if chart.HasDelivery(g.Weeks) {
		alt = "Six charts of the last 8 weeks: decisions per week, median open-blocker age in days, check-in participation in percent, pulse means from 1 to 5, " +
			"deploys per week, and median lead time for changes and time to restore in hours."
		what = "decisions per week, median open-blocker age, check-in participation, pulse means, deploys, lead time and time to restore"
	}
	day := g.To.In(loc).Format("2006-01-02")
	name := "digest-" + day + ".png"
	var up *slack.GetUploadURLExternalResponse
	err = dl.slack.Call(ctx, it.Team, "files.getUploadURLExternal", "", func(api *slack.Client) (err error) {
		up, err = api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: name, FileSize: len(png),
			AltTxt: alt})
		return err
	})
	if err != nil {
		return "", "", err
	}
	err = dl.slack.Call(ctx, it.Team, "files.upload", "", func(api *slack.Client) error {
		return api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: up.UploadURL, Reader: bytes.NewReader(png), Filename: name})
	})
	if err != nil {
		return "", "", err
	}
	comment := fmt.Sprintf("The last 8 weeks in <#%s>, to %s: %s.", ref.Channel, g.To.In(loc).Format("Mon 2 Jan"), what)
	shared := slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(render.MD(comment), nil, nil, slack.SectionBlockOptionBlockID(tag))}}
	err = dl.slack.Call(ctx, it.Team, "files.completeUploadExternal", ref.Channel, func(api *slack.Client) error {
		_, err := api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
			Files: []slack.FileSummary{{ID: up.FileID, Title: "Weekly digest chart, week to " + day}}, Channel: ref.Channel, Blocks: shared})
		return err
	})
	return ref.Channel, "", err
}

func decodeDigestRef(it rituals.OutboxItem) (rituals.DigestRef, error) {
	var ref rituals.DigestRef
	if err := json.Unmarshal(it.Data, &ref); err != nil || ref.Channel == "" {
		return ref, errPermanent{fmt.Sprintf("digest data unreadable: %v", err)}
	}
	return ref, nil
}

func hasBlockID(m slack.Message, id string) bool {
	for _, bl := range m.Blocks.BlockSet {
		if bl.ID() == id {
			return true
		}
	}
	return false
}

// sendRollup builds the leadership roll-up an item names and posts it in
// its channel.
func (dl *Deliverer) sendRollup(ctx context.Context, it rituals.OutboxItem) (string, string, error) {
	ref, err := decodeDigestRef(it)
	if err != nil {
		return "", "", err
	}
	r, err := dl.Digests.BuildRollup(ctx, it.Team, ref)
	if rituals.ErrorCode(err) == rituals.ENOTFOUND {
		return "", "", errPermanent{"the channel's roll-up was turned off before it was sent"}
	}
	if err != nil {
		return "", "", err
	}
	return dl.post(ctx, it, "", render.RollupFallback(r), render.Rollup(r))
}
