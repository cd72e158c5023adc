package bot

import (
	"context"
	"testing"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
)

// TestHomeChannel checks the channel a form opened from App Home asks for.
func TestHomeChannel(t *testing.T) {
	t.Run("ErrChannelMissing", func(t *testing.T) {
		view := &slack.View{Blocks: render.BlockerModal(render.ModalMeta{Home: true}, render.BlockerForm{}).Blocks}
		for _, state := range []*slack.ViewState{nil, {Values: map[string]map[string]slack.BlockAction{
			render.FieldHomeChannel: {render.ValueAction: {SelectedConversation: ""}},
		}}} {
			_, err := (&Bot{}).homeChannel(context.Background(), &request{team: "T1", user: "U0ANN"}, state)
			if got := fieldErrors(err, view)[render.FieldHomeChannel]; got != "Choose the channel it belongs in." {
				t.Fatalf("error on the channel field: %q (err %v)", got, err)
			}
		}
	})
}
