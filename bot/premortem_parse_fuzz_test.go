package bot

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// sessionSeeds are what people type after /premortem and /retro.
var sessionSeeds = []string{"Checkout v2", "Checkout v2 close in 72h launch 2026-12-10", "Checkout launch on 2026-12-10 close in 3d",
	"\"list of things\"", "list", "list all", "close R-4", "close PM-3", "show pm3", "show R-4 now", "list 5", "close in 48h", "close the gap", "Checkout close in 30501w",
	"Checkout launch 2026-13-01", "“close”", "help", ""}

// FuzzParsePremortem checks that whatever follows /premortem is one valid
// command or a refusal in a plain sentence.
func FuzzParsePremortem(f *testing.F) { fuzzSession(f, rituals.SessionPremortem) }

// FuzzParseRetro checks that whatever follows /retro is one valid command
// or a refusal in a plain sentence.
func FuzzParseRetro(f *testing.F) { fuzzSession(f, rituals.SessionRetro) }

func fuzzSession(f *testing.F, kind rituals.SessionKind) {
	for _, s := range sessionSeeds {
		f.Add(s)
	}
	fuzzParser(f, func(text string) (sessionCmd, error) { return parseSession(kind, text) }, func(cmd sessionCmd) string {
		switch cmd.Op {
		case opSessionHelp, opSessionStatus:
		case opSessionList:
			return check(cmd.Limit < 1 || cmd.Limit > rituals.MaxListLimit, "limit out of range")
		case opSessionShow, opSessionClose:
			return check(cmd.ID.Number <= 0, "no ID")
		case opSessionOpen:
			if strings.TrimSpace(cmd.In.Name) == "" || cmd.In.Kind != kind {
				return "no name"
			}
			if d := cmd.In.CloseIn; d != 0 && (d < rituals.MinSessionWindow || d > rituals.MaxSessionWindow) {
				return "close in out of range"
			}
			if day := cmd.In.LaunchOn; !day.IsZero() {
				_, err := rituals.ParseDate(string(day))
				return check(err != nil, "launch is not a day")
			}
		default:
			return "unknown op"
		}
		return ""
	})
}
