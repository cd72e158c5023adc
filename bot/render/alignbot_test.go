package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/rituals"
)

func TestRenderAlignbot(t *testing.T) {
	bare := ChannelSetup{Channel: "C0PLAT", SLA: rituals.DefaultSLA, SLADefault: true}
	sch := &rituals.Schedule{Zone: rituals.StoredZone("Europe/Berlin"), NextRunAt: time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC)}
	full := ChannelSetup{Channel: "C0PLAT", Checkin: sch, Digest: sch, SLA: 48 * time.Hour, Areas: []string{"api"}}

	_, blocks := Alignbot(bare)
	golden(t, "alignbot_bare", blocks)
	if got, want := setupButtons(blocks), []string{SetupCheckin, SetupDigest, SetupSLA, SetupAreas}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("bare channel's buttons %v, want %v", got, want)
	}
	for _, cmd := range []string{"/alignbot", "/decide", "/blocker", "/checkin", "/pulse", "/premortem", "/retro", "/digest"} {
		if !strings.Contains(blockText(blocks), "`"+cmd+"`") {
			t.Errorf("/alignbot does not list %s", cmd)
		}
	}
	if !strings.Contains(blockText(blocks), "escalated after 3d open (the default)") {
		t.Errorf("the default SLA is not read as 3d: %s", blockText(blocks))
	}

	_, blocks = Alignbot(full)
	golden(t, "alignbot_set_up", blocks)
	// Only the SLA, which always has a value, keeps a button to change it.
	if got := setupButtons(blocks); strings.Join(got, ",") != SetupSLA {
		t.Errorf("set-up channel's buttons %v, want only %s", got, SetupSLA)
	}
	if text := blockText(blocks); !strings.Contains(text, "1 area: `api`") || !strings.Contains(text, "after 2d open.") {
		t.Errorf("set-up checklist reads %s", text)
	}

	absent := bare
	absent.Absent = true
	if _, blocks := Alignbot(absent); !strings.Contains(blockText(blocks), "`/invite @alignbot`") {
		t.Errorf("a channel without alignbot does not say to invite it: %s", blockText(blocks))
	}
	if strings.Contains(blockText(blocks), "/invite") {
		t.Error("a channel with alignbot is told to invite it")
	}

	_, blocks = Welcome(bare)
	golden(t, "alignbot_welcome", blocks)

	for _, setting := range []string{SetupCheckin, SetupDigest, SetupSLA, SetupAreas} {
		if text, ok := SetupCommand(setting); !ok || !strings.Contains(text, "`/") {
			t.Errorf("SetupCommand(%q) = %q, %v: want a command to run", setting, text, ok)
		}
	}
	if _, ok := SetupCommand("nope"); ok {
		t.Error("SetupCommand accepted an unknown setting")
	}
}

// setupButtons lists the values of the checklist's buttons, in order.
func setupButtons(blocks []slack.Block) []string {
	var out []string
	for _, b := range blocks {
		if s, ok := b.(*slack.SectionBlock); ok && s.Accessory != nil && s.Accessory.ButtonElement != nil {
			if s.Accessory.ButtonElement.ActionID == ActionSetup {
				out = append(out, s.Accessory.ButtonElement.Value)
			}
		}
	}
	return out
}

// blockText is the blocks' JSON, to look for words in.
func blockText(blocks []slack.Block) string {
	b, _ := json.Marshal(blocks)
	return string(b)
}
