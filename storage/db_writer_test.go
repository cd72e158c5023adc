package storage_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/alignbot/alignbot/internal/testdb"
	"github.com/alignbot/alignbot/rituals"
)

// A handler that panics inside a transaction (the bot recovers it) must
// leave the database writable: its transaction rolled back, its turn to
// write given up.
func TestInTxPanicLeavesTheDatabaseWritable(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	func() {
		defer func() { recover() }()
		db.InTx(ctx, func(tx rituals.Tx) error {
			if _, err := tx.NextNumber(ctx, "T1", "D"); err != nil {
				t.Fatal(err)
			}
			panic("handler bug")
		})
	}()
	wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var n int64
	err := db.InTx(wctx, func(tx rituals.Tx) (err error) {
		n, err = tx.NextNumber(wctx, "T1", "D")
		return err
	})
	if err != nil {
		t.Fatalf("write after a panic: %v", err)
	}
	if n != 1 {
		t.Fatalf("number %d, want 1: the panicking transaction was not rolled back", n)
	}
}

// Writers queue for their turn without failing, and on SQLite, where they
// write one at a time, one waiting past its deadline gives up with that
// error, not a database one.
func TestInTxWritersTakeTurns(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.InTx(ctx, func(tx rituals.Tx) error {
				_, err := tx.NextNumber(ctx, "T1", "D")
				return err
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if testdb.Postgres() {
		return
	}

	hold, release := make(chan struct{}), make(chan struct{})
	go db.InTx(ctx, func(tx rituals.Tx) error {
		close(hold)
		<-release
		return nil
	})
	<-hold
	defer close(release)
	wctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	err := db.InTx(wctx, func(tx rituals.Tx) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err=%v, want the deadline", err)
	}
}
