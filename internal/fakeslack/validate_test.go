package fakeslack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// TestCheckMessage holds the validator to BLOCKKIT.md's rules, minimums
// included: each case is one block Slack refuses, with the pointer and
// words it refuses it with.
func TestCheckMessage(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	opt := func(text, value string) string {
		return `{"text":{"type":"plain_text","text":"` + text + `"},"value":"` + value + `"}`
	}
	for name, tc := range map[string]struct{ block, want string }{
		"EmptyOptionValue": {`{"type":"actions","elements":[{"type":"static_select","action_id":"a","options":[` + opt("No", "") + `]}]}`,
			"must be between 1 and 150 characters [json-pointer:/blocks/0/elements/0/options/0/value]"},
		"LongOptionValue": {`{"type":"actions","elements":[{"type":"static_select","action_id":"a","options":[` + opt("No", long(151)) + `]}]}`,
			"[json-pointer:/blocks/0/elements/0/options/0/value]"},
		"EmptyOptionText": {`{"type":"actions","elements":[{"type":"static_select","action_id":"a","options":[` + opt("", "v") + `]}]}`,
			"[json-pointer:/blocks/0/elements/0/options/0/text/text]"},
		"MrkdwnOptionInSelect": {`{"type":"actions","elements":[{"type":"static_select","action_id":"a","options":[{"text":{"type":"mrkdwn","text":"*a*"},"value":"a"}]}]}`,
			"must be plain_text [json-pointer:/blocks/0/elements/0/options/0/text/type]"},
		"LongOptionDescription": {`{"type":"actions","elements":[{"type":"static_select","action_id":"a","options":[{"text":{"type":"plain_text","text":"a"},"value":"a","description":{"type":"plain_text","text":"` + long(76) + `"}}]}]}`,
			"[json-pointer:/blocks/0/elements/0/options/0/description/text]"},
		"InitialOptionNotAnOption": {`{"type":"actions","elements":[{"type":"static_select","action_id":"a","options":[` + opt("A", "a") + `],"initial_option":` + opt("B", "a") + `}]}`,
			"must match one of the provided options [json-pointer:/blocks/0/elements/0/initial_option]"},
		"InitialOptionsNotOptions": {`{"type":"actions","elements":[{"type":"checkboxes","action_id":"a","options":[` + opt("A", "a") + `],"initial_options":[` + opt("A", "b") + `]}]}`,
			"[json-pointer:/blocks/0/elements/0/initial_options/0]"},
		"OverflowOfOne": {`{"type":"actions","elements":[{"type":"overflow","action_id":"a","options":[` + opt("A", "a") + `]}]}`,
			"must provide at least 2 items [json-pointer:/blocks/0/elements/0/options]"},
		"OverflowOfSix": {`{"type":"actions","elements":[{"type":"overflow","action_id":"a","options":[` + strings.Repeat(opt("A", "a")+",", 5) + opt("A", "a") + `]}]}`,
			"no more than 5 items allowed [json-pointer:/blocks/0/elements/0/options]"},
		"EmptyBlockID":  {`{"type":"divider","block_id":""}`, "must be between 1 and 255 characters [json-pointer:/blocks/0/block_id]"},
		"LongBlockID":   {`{"type":"divider","block_id":"` + long(256) + `"}`, "[json-pointer:/blocks/0/block_id]"},
		"EmptyActionID": {`{"type":"actions","elements":[{"type":"button","action_id":"","text":{"type":"plain_text","text":"Go"}}]}`, "[json-pointer:/blocks/0/elements/0/action_id]"},
		"DuplicateActionID": {`{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"Go"}},{"type":"button","action_id":"a","text":{"type":"plain_text","text":"Stop"}}]}`,
			`duplicate action_id "a" [json-pointer:/blocks/0/elements/1/action_id]`},
		"EmptyButtonValue": {`{"type":"actions","elements":[{"type":"button","action_id":"a","value":"","text":{"type":"plain_text","text":"Go"}}]}`,
			"must be between 1 and 2000 characters [json-pointer:/blocks/0/elements/0/value]"},
		"EmptyButtonURL": {`{"type":"actions","elements":[{"type":"button","action_id":"a","url":"","text":{"type":"plain_text","text":"Go"}}]}`,
			"[json-pointer:/blocks/0/elements/0/url]"},
		"LongButtonText": {`{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"` + long(76) + `"}}]}`,
			"[json-pointer:/blocks/0/elements/0/text/text]"},
		"NoActions":  {`{"type":"actions","elements":[]}`, "must provide at least 1 items [json-pointer:/blocks/0/elements]"},
		"EmptyField": {`{"type":"section","fields":[{"type":"mrkdwn","text":""}]}`, "[json-pointer:/blocks/0/fields/0/text]"},
		"EmptySection": {`{"type":"section","text":{"type":"mrkdwn","text":""}}`,
			"must be between 1 and 3000 characters [json-pointer:/blocks/0/text/text]"},
		"MrkdwnHeader":   {`{"type":"header","text":{"type":"mrkdwn","text":"x"}}`, "must be plain_text [json-pointer:/blocks/0/text/type]"},
		"EmptyContext":   {`{"type":"context","elements":[{"type":"mrkdwn","text":""}]}`, "[json-pointer:/blocks/0/elements/0/text]"},
		"InputInMessage": {`{"type":"input","label":{"type":"plain_text","text":"L"},"element":{"type":"plain_text_input","action_id":"a"}}`, "input blocks are only allowed in modals [json-pointer:/blocks/0/type]"},
		"TextInputInActions": {`{"type":"actions","elements":[{"type":"plain_text_input","action_id":"a"}]}`,
			"only allowed in input blocks [json-pointer:/blocks/0/elements/0/type]"},
		"LongConfirmText": {`{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"Go"},"confirm":{"title":{"type":"plain_text","text":"Sure?"},"text":{"type":"plain_text","text":"` + long(301) + `"},"confirm":{"type":"plain_text","text":"Yes"},"deny":{"type":"plain_text","text":"No"}}}]}`,
			"[json-pointer:/blocks/0/elements/0/confirm/text/text]"},
		"LongConfirmButton": {`{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"Go"},"confirm":{"title":{"type":"plain_text","text":"Sure?"},"text":{"type":"plain_text","text":"Really"},"confirm":{"type":"plain_text","text":"` + long(31) + `"}}}]}`,
			"[json-pointer:/blocks/0/elements/0/confirm/confirm/text]"},
		"BadDate":       {`{"type":"actions","elements":[{"type":"datepicker","action_id":"a","initial_date":"2026-13-01"}]}`, "YYYY-MM-DD [json-pointer:/blocks/0/elements/0/initial_date]"},
		"EmptyAltText":  {`{"type":"image","image_url":"https://x/y.png","alt_text":""}`, "[json-pointer:/blocks/0/alt_text]"},
		"EmptyImageURL": {`{"type":"image","image_url":"","alt_text":"chart"}`, "[json-pointer:/blocks/0/image_url]"},
		"EmptyGroupLabel": {`{"type":"actions","elements":[{"type":"static_select","action_id":"a","option_groups":[{"label":{"type":"plain_text","text":""},"options":[` + opt("A", "a") + `]}]}]}`,
			"[json-pointer:/blocks/0/elements/0/option_groups/0/label/text]"},
	} {
		t.Run(name, func(t *testing.T) {
			var block any
			if err := json.Unmarshal([]byte(tc.block), &block); err != nil {
				t.Fatalf("bad case: %v", err)
			}
			msgs := CheckMessage([]any{block})
			if !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
				t.Fatalf("messages = %q, want one containing %q", msgs, tc.want)
			}
		})
	}
	t.Run("Valid", func(t *testing.T) {
		blocks := []slack.Block{
			slack.NewHeaderBlock(text("Title")),
			slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Hi* é 🎉", false, false), nil, nil),
			slack.NewActionBlock("acts",
				slack.NewButtonBlockElement("go", "1", text("Go")),
				slack.NewOptionsSelectBlockElement("static_select", text("Pick"), "pick",
					slack.NewOptionBlockObject("a", text("A"), nil), slack.NewOptionBlockObject("b", text("B"), nil)).
					WithInitialOption(slack.NewOptionBlockObject("b", text("B"), nil)),
				slack.NewOverflowBlockElement("more", slack.NewOptionBlockObject("x", text("X"), nil), slack.NewOptionBlockObject("y", text("Y"), nil))),
		}
		if msgs := CheckMessage(blocks); msgs != nil {
			t.Fatalf("valid blocks refused: %q", msgs)
		}
	})
}

// TestCheckView covers the view-only rules: modal texts, IDs and the
// elements an input block may hold.
func TestCheckView(t *testing.T) {
	input := func(el string) string {
		return `{"type":"input","block_id":"b","label":{"type":"plain_text","text":"L"},"element":` + el + `}`
	}
	modal := func(blocks ...string) string {
		return `{"type":"modal","title":{"type":"plain_text","text":"T"},"submit":{"type":"plain_text","text":"Save"},"blocks":[` + strings.Join(blocks, ",") + `]}`
	}
	for name, tc := range map[string]struct{ view, want string }{
		"ButtonInInput":     {modal(input(`{"type":"button","action_id":"a","text":{"type":"plain_text","text":"Go"}}`)), `"button" is not allowed in an input block`},
		"EmptyCallbackID":   {`{"type":"modal","callback_id":"","title":{"type":"plain_text","text":"T"},"blocks":[]}`, "[json-pointer:/view/callback_id]"},
		"EmptySubmit":       {`{"type":"modal","submit":{"type":"plain_text","text":""},"title":{"type":"plain_text","text":"T"},"blocks":[]}`, "[json-pointer:/view/submit/text]"},
		"LongInitialValue":  {modal(input(`{"type":"plain_text_input","action_id":"a","initial_value":"` + strings.Repeat("x", 3001) + `"}`)), "[json-pointer:/view/blocks/0/element/initial_value]"},
		"EmptyInitialValue": {modal(input(`{"type":"plain_text_input","action_id":"a","initial_value":""}`)), "[json-pointer:/view/blocks/0/element/initial_value]"},
		"MinOverMax":        {modal(input(`{"type":"plain_text_input","action_id":"a","min_length":10,"max_length":5}`)), "must not be more than max_length"},
		"ZeroMaxLength":     {modal(input(`{"type":"plain_text_input","action_id":"a","max_length":0}`)), "[json-pointer:/view/blocks/0/element/max_length]"},
		"EmptyPlaceholder":  {modal(input(`{"type":"plain_text_input","action_id":"a","placeholder":{"type":"plain_text","text":""}}`)), "[json-pointer:/view/blocks/0/element/placeholder/text]"},
		"HomeWithSubmit":    {`{"type":"home","submit":{"type":"plain_text","text":"Go"},"blocks":[]}`, "not allowed in a home view"},
		"InputInHome":       {`{"type":"home","blocks":[` + input(`{"type":"plain_text_input","action_id":"a"}`) + `]}`, "input blocks are only allowed in modals"},
		"EmptyExternalID":   {`{"type":"modal","external_id":"","title":{"type":"plain_text","text":"T"},"blocks":[]}`, "[json-pointer:/view/external_id]"},
	} {
		t.Run(name, func(t *testing.T) {
			var v map[string]any
			if err := json.Unmarshal([]byte(tc.view), &v); err != nil {
				t.Fatalf("bad case: %v", err)
			}
			msgs := CheckView(v)
			if !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
				t.Fatalf("messages = %q, want one containing %q", msgs, tc.want)
			}
		})
	}
}

// TestRefusalsFailTheTest checks that a refused payload is recorded and
// reported, so NewT can fail the test that sent it; injected faults are
// not refusals.
func TestRefusalsFailTheTest(t *testing.T) {
	var heard []Refusal
	fs := newServer(t, Options{OnRefusal: func(r Refusal) { heard = append(heard, r) }})
	api := newAPI(fs)
	ctx := context.Background()
	bad := slack.NewActionBlock("acts", slack.NewOptionsSelectBlockElement("static_select", text("Pick"), "pick",
		slack.NewOptionBlockObject("", text("None"), nil)))
	if _, _, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionBlocks(bad)); err == nil || err.Error() != "invalid_blocks" {
		t.Fatalf("err = %v, want invalid_blocks", err)
	}
	fs.FailNext("chat.postMessage", 1, Fault{Error: "invalid_blocks"})
	if _, _, err := api.PostMessageContext(ctx, "C0GENERAL", slack.MsgOptionText("x", false)); err == nil {
		t.Fatal("injected fault not returned")
	}
	got := fs.Refusals()
	if len(got) != 1 || got[0].Method != "chat.postMessage" || got[0].Error != "invalid_blocks" ||
		!strings.Contains(strings.Join(got[0].Messages, ""), "/blocks/0/elements/0/options/0/value") {
		t.Fatalf("refusals = %+v, want the one empty option value", got)
	}
	if len(heard) != 1 {
		t.Fatalf("OnRefusal heard %d, want 1", len(heard))
	}
}
