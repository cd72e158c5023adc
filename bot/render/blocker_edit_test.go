package render

import (
	"testing"

	"github.com/alignbot/alignbot/internal/fakeslack"
)

func TestRenderBlockerEditModal(t *testing.T) {
	b := sampleBlocker()
	b.NeededBy = "2026-12-10"
	m := BlockerEditModal(ModalMeta{Channel: "C0PLAT", Number: b.Number}, b)
	if msgs := fakeslack.CheckView(m); len(msgs) > 0 {
		t.Fatalf("Slack would refuse the edit form: %v", msgs)
	}
	golden(t, "blocker_modal_edit", m)
}
