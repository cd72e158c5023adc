package bot

import (
	"context"
	"testing"

	"github.com/slack-go/slack"
)

// A handler that panics loses its own request only: it is counted, and the
// next request is handled.
func TestHandlerPanicIsCountedAndContained(t *testing.T) {
	handled := make(chan string, 2)
	b := newIntakeBot(func(ctx context.Context, r *request, text string) {
		if text == "poison" {
			panic("a bug")
		}
		handled <- text
	})
	for _, text := range []string{"poison", "fine"} {
		b.dispatch(context.Background(), "env-"+text, slack.SlashCommand{Command: "/decide", Text: text}, func(any) {}, b.log)
	}
	b.handlers.Wait()
	if len(handled) != 1 || <-handled != "fine" {
		t.Fatal("the request after the panic was not handled")
	}
	if n := counterValue(b.metrics.Panics.WithLabelValues(panicHandler)); n != 1 {
		t.Fatalf("alignbot_panics_total{where=handler} = %v, want 1", n)
	}
}
