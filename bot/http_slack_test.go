package bot

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// countingBody is a request body of n bytes that counts how many the
// server read.
type countingBody struct {
	n, read int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.read >= b.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), b.n-b.read)
	for i := range p[:k] {
		p[i] = 'a'
	}
	b.read += k
	return int(k), nil
}

func (b *countingBody) Close() error { return nil }

func TestVerifySlackReadsNothingUnsigned(t *testing.T) {
	const secret = "8f742231b10e8888abcd99yyyzzz85a5"
	sign := func(ts, body string) string {
		m := hmac.New(sha256.New, []byte(secret))
		io.WriteString(m, "v0:"+ts+":"+body)
		return "v0=" + hex.EncodeToString(m.Sum(nil))
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-6*time.Minute).Unix(), 10)
	wellFormed := "v0=" + strings.Repeat("ab", sha256.Size) // right shape, wrong value
	const huge = 64 << 20

	for _, tc := range []struct {
		name     string
		header   map[string]string
		body     string // when empty, a counted body of size (default huge) bytes
		size     int64
		declared bool // send the counted body's length as Content-Length
		code     int
		maxRead  int64
	}{
		{name: "ErrNoHeaders", code: 401, maxRead: 0},
		{name: "ErrNoHeadersSmallBody", size: 100 << 10, code: 401, maxRead: 0},
		{name: "ErrNoSignature", header: map[string]string{"X-Slack-Request-Timestamp": now}, code: 401, maxRead: 0},
		{name: "ErrNoTimestamp", header: map[string]string{"X-Slack-Signature": wellFormed}, code: 401, maxRead: 0},
		{name: "ErrStale", header: map[string]string{"X-Slack-Request-Timestamp": stale, "X-Slack-Signature": wellFormed}, code: 401, maxRead: 0},
		{name: "ErrTimestampNotANumber", header: map[string]string{"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": wellFormed}, code: 401, maxRead: 0},
		{name: "ErrSignatureNotHex", header: map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + strings.Repeat("zz", sha256.Size)}, code: 401, maxRead: 0},
		{name: "ErrSignatureTooShort", header: map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=abcd"}, code: 401, maxRead: 0},
		{name: "ErrSignatureNotV0", header: map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v1=" + strings.Repeat("ab", sha256.Size)}, code: 401, maxRead: 0},
		{name: "ErrDeclaredTooLarge", header: map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": wellFormed}, declared: true, code: 413, maxRead: 0},
		{name: "ErrStreamedTooLarge", header: map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": wellFormed}, code: 413, maxRead: maxSlackBody + 64<<10},
		{name: "ErrWrongSignature", header: map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": wellFormed}, body: "command=%2Fdecide", code: 401},
		{name: "Signed", header: map[string]string{"X-Slack-Request-Timestamp": now, "X-Slack-Signature": sign(now, "command=%2Fdecide")}, body: "command=%2Fdecide", code: 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []byte
			called := false
			h := verifySlack(secret, slog.New(slog.DiscardHandler), func(w http.ResponseWriter, r *http.Request, body []byte) {
				called, got = true, body
			})
			counted := &countingBody{n: cmp.Or(tc.size, huge)}
			req := httptest.NewRequest("POST", "/slack/commands", counted)
			req.ContentLength = -1
			if tc.declared {
				req.ContentLength = counted.n
			}
			if tc.body != "" {
				req = httptest.NewRequest("POST", "/slack/commands", strings.NewReader(tc.body))
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h(rec, req)
			if rec.Code != tc.code {
				t.Fatalf("HTTP %d, want %d", rec.Code, tc.code)
			}
			if called != (tc.code == 200) {
				t.Fatalf("handler called: %v", called)
			}
			if tc.code == 200 && string(got) != tc.body {
				t.Fatalf("body %q, want %q", got, tc.body)
			}
			if tc.body == "" && counted.read > tc.maxRead {
				t.Fatalf("read %d bytes of the body, want at most %d", counted.read, tc.maxRead)
			}
		})
	}
}
