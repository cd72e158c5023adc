package fakeslack

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// postN posts n messages (in thread, when set) and returns their ts.
func postN(t *testing.T, api *slack.Client, channel, thread string, n int) []string {
	t.Helper()
	var out []string
	for i := range n {
		opts := []slack.MsgOption{slack.MsgOptionText(fmt.Sprintf("message %d", i), false)}
		if thread != "" {
			opts = append(opts, slack.MsgOptionTS(thread))
		}
		_, ts, err := api.PostMessageContext(testCtx(t), channel, opts...)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ts)
	}
	return out
}

func timestamps(msgs []slack.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Timestamp)
	}
	return out
}

// Message timestamps come from the wall clock, as Slack's do: a client
// that knows when it posted can ask for what came after.
func TestMessageTimestampsFollowTheWallClock(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	before := time.Now()
	got := postN(t, api, "C0GENERAL", "", 3)
	after := time.Now()
	for i, ts := range got {
		if !tsPattern.MatchString(ts) {
			t.Fatalf("ts %q is not <unix seconds>.<6 digits>", ts)
		}
		us, _ := parseTS(ts)
		if at := time.UnixMicro(us); at.Before(before.Truncate(time.Microsecond)) || at.After(after) {
			t.Fatalf("ts %s is %v, not between %v and %v", ts, at, before, after)
		}
		if i > 0 && ts <= got[i-1] {
			t.Fatalf("ts %s after %s: not increasing", ts, got[i-1])
		}
	}
}

func TestConversationsHistoryPagesAndRanges(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	posted := postN(t, api, "C0GENERAL", "", 7)
	postN(t, api, "C0GENERAL", posted[2], 2) // replies stay out of history
	newestFirst := slices.Clone(posted)
	slices.Reverse(newestFirst)

	history := func(p slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error) {
		p.ChannelID = "C0GENERAL"
		return api.GetConversationHistoryContext(ctx, &p)
	}
	t.Run("EveryPageByCursor", func(t *testing.T) {
		var got []string
		p := slack.GetConversationHistoryParameters{Limit: 3}
		for pages := 1; ; pages++ {
			resp, err := history(p)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, timestamps(resp.Messages)...)
			if more := len(got) < len(posted); resp.HasMore != more || (resp.ResponseMetaData.NextCursor != "") != more {
				t.Fatalf("page %d: has_more=%v next_cursor=%q after %d of %d", pages, resp.HasMore, resp.ResponseMetaData.NextCursor, len(got), len(posted))
			}
			if !resp.HasMore {
				break
			}
			p.Cursor = resp.ResponseMetaData.NextCursor
		}
		if !slices.Equal(got, newestFirst) {
			t.Fatalf("pages gave %v, want %v", got, newestFirst)
		}
	})
	for _, tc := range []struct {
		name string
		p    slack.GetConversationHistoryParameters
		want []string
	}{
		{"OldestIsExclusive", slack.GetConversationHistoryParameters{Oldest: posted[4]}, newestFirst[:2]},
		{"OldestInclusive", slack.GetConversationHistoryParameters{Oldest: posted[4], Inclusive: true}, newestFirst[:3]},
		{"LatestIsExclusive", slack.GetConversationHistoryParameters{Latest: posted[2]}, newestFirst[5:]},
		{"Between", slack.GetConversationHistoryParameters{Oldest: posted[1], Latest: posted[5]}, newestFirst[2:5]},
		{"BetweenInclusive", slack.GetConversationHistoryParameters{Oldest: posted[1], Latest: posted[5], Inclusive: true}, newestFirst[1:6]},
		{"OldestWithoutMicros", slack.GetConversationHistoryParameters{Oldest: strings.Split(posted[0], ".")[0]}, newestFirst},
		{"LimitNewestFirst", slack.GetConversationHistoryParameters{Limit: 2}, newestFirst[:2]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := history(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if got := timestamps(resp.Messages); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("OldestPagesToo", func(t *testing.T) {
		resp, err := history(slack.GetConversationHistoryParameters{Oldest: posted[1], Limit: 4})
		if err != nil || !resp.HasMore || !slices.Equal(timestamps(resp.Messages), newestFirst[:4]) {
			t.Fatalf("first page %v has_more=%v, %v", timestamps(resp.Messages), resp.HasMore, err)
		}
		resp, err = history(slack.GetConversationHistoryParameters{Oldest: posted[1], Limit: 4, Cursor: resp.ResponseMetaData.NextCursor})
		if err != nil || resp.HasMore || !slices.Equal(timestamps(resp.Messages), newestFirst[4:5]) {
			t.Fatalf("second page %v has_more=%v, %v; want only what is after oldest", timestamps(resp.Messages), resp.HasMore, err)
		}
	})
	for _, tc := range []struct {
		name string
		p    slack.GetConversationHistoryParameters
		code string
	}{
		{"ErrInvalidOldest", slack.GetConversationHistoryParameters{Oldest: "yesterday"}, "invalid_ts_oldest"},
		{"ErrInvalidLatest", slack.GetConversationHistoryParameters{Latest: "1.1234567"}, "invalid_ts_latest"},
		{"ErrInvalidCursor", slack.GetConversationHistoryParameters{Cursor: "bm90IGEgY3Vyc29y"}, "invalid_cursor"},
		{"ErrInvalidLimit", slack.GetConversationHistoryParameters{Limit: -1}, "invalid_limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := history(tc.p)
			if !isSlackError(err, tc.code) {
				t.Fatalf("err %v, want %s", err, tc.code)
			}
		})
	}
}

func TestConversationsRepliesPagesAndRanges(t *testing.T) {
	fs := newServer(t, Options{})
	api := newAPI(fs)
	ctx := testCtx(t)
	parent := postN(t, api, "C0GENERAL", "", 1)[0]
	replies := postN(t, api, "C0GENERAL", parent, 6)
	postN(t, api, "C0GENERAL", "", 1) // not in the thread

	thread := func(p slack.GetConversationRepliesParameters) ([]string, bool, string, error) {
		p.ChannelID = "C0GENERAL"
		if p.Timestamp == "" {
			p.Timestamp = parent
		}
		msgs, more, next, err := api.GetConversationRepliesContext(ctx, &p)
		return timestamps(msgs), more, next, err
	}
	t.Run("EveryPageByCursor", func(t *testing.T) {
		var got []string
		p := slack.GetConversationRepliesParameters{Limit: 3}
		for {
			page, more, next, err := thread(p)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
			if more != (next != "") {
				t.Fatalf("has_more=%v with next_cursor %q", more, next)
			}
			if !more {
				break
			}
			p.Cursor = next
		}
		if want := append([]string{parent}, replies...); !slices.Equal(got, want) {
			t.Fatalf("pages gave %v, want the parent then the replies, oldest first: %v", got, want)
		}
	})
	for _, tc := range []struct {
		name string
		p    slack.GetConversationRepliesParameters
		want []string
	}{
		{"OldestIsExclusive", slack.GetConversationRepliesParameters{Oldest: replies[3]}, append([]string{parent}, replies[4:]...)},
		{"OldestInclusive", slack.GetConversationRepliesParameters{Oldest: replies[3], Inclusive: true}, append([]string{parent}, replies[3:]...)},
		{"Between", slack.GetConversationRepliesParameters{Oldest: replies[0], Latest: replies[3]}, []string{parent, replies[1], replies[2]}},
		{"ByAReplysTS", slack.GetConversationRepliesParameters{Timestamp: replies[2], Oldest: replies[4]}, []string{parent, replies[5]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, _, err := thread(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("OldestPagesToo", func(t *testing.T) {
		first, more, next, err := thread(slack.GetConversationRepliesParameters{Oldest: replies[1], Limit: 3})
		if err != nil || !more || !slices.Equal(first, []string{parent, replies[2], replies[3]}) {
			t.Fatalf("first page %v has_more=%v, %v", first, more, err)
		}
		rest, more, _, err := thread(slack.GetConversationRepliesParameters{Oldest: replies[1], Limit: 3, Cursor: next})
		if err != nil || more || !slices.Equal(rest, replies[4:]) {
			t.Fatalf("second page %v has_more=%v, %v; want %v", rest, more, err, replies[4:])
		}
	})
	for _, tc := range []struct {
		name string
		p    slack.GetConversationRepliesParameters
		code string
	}{
		{"ErrThreadNotFound", slack.GetConversationRepliesParameters{Timestamp: "1.000001"}, "thread_not_found"},
		{"ErrInvalidOldest", slack.GetConversationRepliesParameters{Oldest: "-5"}, "invalid_ts_oldest"},
		{"ErrInvalidCursor", slack.GetConversationRepliesParameters{Cursor: "%%%"}, "invalid_cursor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := thread(tc.p)
			if !isSlackError(err, tc.code) {
				t.Fatalf("err %v, want %s", err, tc.code)
			}
		})
	}
}

func isSlackError(err error, code string) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && se.Err == code
}
