package web_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
	"github.com/alignbot/alignbot/storage"
	"github.com/alignbot/alignbot/web"
)

// TestMain runs the tests on SQLite, then on PostgreSQL when it answers.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// seed opens a store of the dialect under test holding a small decision log across three
// months, in two public channels and a private one:
//
//	D-1 #general, area infra: Use Postgres for billing (superseded by D-4)
//	D-2 #secret (private): Secret reorg plan
//	D-3 #random: Adopt weekly demos, edited once (a rationale added)
//	D-4 #general, area infra: Move billing to Postgres 17, superseding D-1
//	D-5 #secret (private): Secret billing freeze
//	D-6 #secret (private): Secret demo schedule, superseding D-3
func seed(t testing.TB) *storage.DB {
	t.Helper()
	ctx := context.Background()
	db, _ := openStore(t)
	now := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db.Now = clock
	for _, ch := range []rituals.Channel{
		{Team: "T1", ID: "CGEN", Name: "general"},
		{Team: "T1", ID: "CRAND", Name: "random"},
		{Team: "T1", ID: "GSECRET", Name: "secret", Private: true},
	} {
		if err := db.SaveChannel(ctx, ch, now); err != nil {
			t.Fatal(err)
		}
	}
	caller := func(user, channel string) rituals.Caller {
		return rituals.Caller{Team: "T1", User: user, Channel: channel, ChannelPrivate: channel == "GSECRET", Location: time.UTC}
	}
	admin := caller("UADM", "CGEN")
	admin.Admin = true
	if _, err := (&rituals.Rights{Store: db, Now: clock}).Add(ctx, admin, rituals.Right{Area: "infra", Owner: "UANN"}); err != nil {
		t.Fatal(err)
	}
	svc := &rituals.Decisions{Store: db, Now: clock}
	must := func(_ *rituals.Decision, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	in := func(title, rationale, area string) rituals.DecisionInput {
		i := rituals.QuickDecision(title)
		i.Rationale, i.Area, i.OwnerName = rationale, area, "Ann Lee"
		i.Links = []string{"https://tracker.example.com/BILL-1"}
		return i
	}
	must(svc.Record(ctx, caller("UANN", "CGEN"), in("Use Postgres for billing", "Transactions we can trust.", "infra")))
	must(svc.Record(ctx, caller("UBOB", "GSECRET"), in("Secret reorg plan", "Nobody may know.", "")))
	now = now.AddDate(0, 1, 0)
	must(svc.Record(ctx, caller("UBOB", "CRAND"), rituals.DecisionInput{Title: "Adopt weekly demos", Text: "Demos every Friday.", OwnerName: "Bob Diaz", Status: rituals.StatusDecided}))
	now = now.Add(time.Hour)
	must(svc.AddRationale(ctx, caller("UBOB", "CRAND"), 3, "Shipping is a habit."))
	now = now.AddDate(0, 1, 0)
	must(svc.Supersede(ctx, caller("UANN", "CGEN"), 1, in("Move billing to Postgres 17", "Logical replication.", "infra")))
	must(svc.Record(ctx, caller("UBOB", "GSECRET"), in("Secret billing freeze", "Quiet.", "infra")))
	now = now.Add(time.Hour)
	must(svc.Supersede(ctx, caller("UBOB", "GSECRET"), 3, in("Secret demo schedule", "Hush.", "")))
	return db
}

// openStore opens and migrates a fresh database of the dialect under
// test, closed when tb ends; it returns its DSN too.
func openStore(tb testing.TB) (*storage.DB, string) {
	tb.Helper()
	ctx := context.Background()
	dsn := testdb.New(tb)
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		tb.Fatal(err)
	}
	return db, dsn
}

func newSite(t testing.TB, token string) *web.Site {
	return &web.Site{Store: seed(t), Team: "T1", Token: token}
}
