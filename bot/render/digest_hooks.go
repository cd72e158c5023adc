package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// HookPath is where a hook's sender posts, under alignbot's public URL.
func HookPath(h *rituals.Hook) string { return "/hooks/" + h.Source + "/" + h.ID }

// HookConnected tells the person who connected h how to set its sender
// up: the URL, the secret (shown this once) and what to send. base is
// alignbot's public URL (ALIGNBOT_WEB_URL), empty when unset.
func HookConnected(h *rituals.Hook, base string) string {
	url := strings.TrimSuffix(base, "/") + HookPath(h)
	where := ""
	if base == "" {
		where = "\n_alignbot's public address is not set (`ALIGNBOT_WEB_URL`): put the address where its web listener is reachable in front of that path._"
	}
	var steps string
	switch h.Source {
	case rituals.HookGitHub:
		steps = fmt.Sprintf("In the repository, *Settings → Webhooks → Add webhook*:\n"+
			"• Payload URL: `%s`\n• Content type: `application/json`\n• Secret: `%s`\n"+
			"• Events: *Pull requests*, *Pull request reviews*, *Deployment statuses* and *Workflow runs*.", url, h.Secret)
	case rituals.HookGitLab:
		steps = fmt.Sprintf("In the project, *Settings → Webhooks → Add new webhook*:\n"+
			"• URL: `%s`\n• Secret token: `%s`\n"+
			"• Triggers: *Merge request events*, *Deployment events* and *Pipeline events*.", url, h.Secret)
	default:
		steps = fmt.Sprintf("From any CI job or script, sign each event with the secret `%s` and post it:\n"+
			"```body='{\"type\":\"deploy\",\"id\":\"build-812\",\"ok\":true}'\n"+
			"ts=$(date +%%s)\n"+
			"sig=$(printf '%%s.%%s' \"$ts\" \"$body\" | openssl dgst -sha256 -hmac '%s' | sed 's/^.* //')\n"+
			"curl -sS -X POST '%s' -H \"X-Alignbot-Timestamp: $ts\" -H \"X-Alignbot-Signature: sha256=$sig\" -d \"$body\"```\n"+
			"Types: `deploy` (`id`, `ok`, `started_at`), `incident_opened` and `incident_resolved` (`id`), `metric` (`name`, `value`, `unit`); `at` (RFC 3339) is when it happened.",
			h.Secret, h.Secret, url)
	}
	return fmt.Sprintf(":link: *This channel's %s hook is connected.* %s%s\n"+
		"This secret is shown only now. Running `/digest hook %s` again makes a new URL and secret, and the old ones stop working.",
		hookName(h.Source), steps, where, h.Source)
}

func hookName(source string) string {
	switch source {
	case rituals.HookGitHub:
		return "GitHub"
	case rituals.HookGitLab:
		return "GitLab"
	}
	return "events"
}

// HookLines says which hooks a channel has connected and when each last
// delivered, in the viewer's zone; "" when none.
func HookLines(hs []*rituals.Hook, sla time.Duration, zone rituals.Zone) string {
	if len(hs) == 0 && sla == 0 {
		return ""
	}
	var lines []string
	for _, h := range hs {
		last := "nothing received yet"
		if !h.LastDelivery.IsZero() {
			last = "last delivered " + LocalTime(h.LastDelivery, zone)
		}
		lines = append(lines, fmt.Sprintf("• %s hook (`%s`): %s", hookName(h.Source), HookPath(h), last))
	}
	if sla > 0 {
		lines = append(lines, fmt.Sprintf("• Review SLA: %s", rituals.Duration(sla)))
	}
	return "*Delivery figures come from:*\n" + strings.Join(lines, "\n")
}
