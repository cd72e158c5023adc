package bot

import (
	"strings"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

func TestParseAlignbot(t *testing.T) {
	for _, text := range []string{"", "  ", "help", "HELP "} {
		if err := parseAlignbot(text); err != nil {
			t.Errorf("parseAlignbot(%q) = %v, want the overview", text, err)
		}
	}
	err := parseAlignbot("setup everything")
	if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), "`setup everything`") {
		t.Errorf("parseAlignbot(setup everything) = %v, want EINVALID quoting it", err)
	}
}
