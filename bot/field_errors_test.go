package bot

import (
	"testing"

	"github.com/slack-go/slack"

	"github.com/alignbot/alignbot/bot/render"
	"github.com/alignbot/alignbot/rituals"
)

func TestFieldErrors(t *testing.T) {
	view := &slack.View{Blocks: render.DecisionModal(render.ModalMeta{}, rituals.DecisionInput{Owner: "U1"}, nil).Blocks}
	err := &rituals.Error{Code: rituals.EINVALID, Message: "m", Fields: map[string]string{
		rituals.FieldTitle: "The title is required.", "nonexistent": "Other.", rituals.FieldOwner: "Choose an owner.",
	}}
	got := fieldErrors(err, view)
	if got[rituals.FieldTitle] == "" || got["owner.U1"] != "Choose an owner." || len(got) != 2 {
		t.Fatalf("errors=%v: unknown fields must land on the first input, owner on its suffixed block", got)
	}
	plainErr := rituals.Errorf(rituals.EFORBIDDEN, "Only the owner may.")
	if got := fieldErrors(plainErr, view); got[rituals.FieldTitle] != "Only the owner may." {
		t.Fatalf("errors=%v", got)
	}
}
