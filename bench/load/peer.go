package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	_ "modernc.org/sqlite" // the Bolt peer's decisions are counted with database/sql
)

// boltReady is the Bolt peer's log message once its socket is up.
const boltReady = "bolt app ready"

// boltApp returns the path of bench/bolt/app.js, installing its packages
// first (npm ci) when node_modules is missing.
func boltApp(ctx context.Context) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "bench", "bolt")
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); os.IsNotExist(err) {
		fmt.Fprintln(os.Stderr, "load: bench/bolt/node_modules is missing: running npm ci (this builds better-sqlite3 if no prebuilt binary fits)")
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if msg, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("npm ci in bench/bolt: %v\n%s", err, msg)
		}
	}
	return filepath.Join(dir, "app.js"), nil
}

// decisionTitles is the title of every decision in the database, one per
// decision: from `alignbot export`, or from the Bolt peer's table.
func (l *loader) decisionTitles(ctx context.Context) ([]string, error) {
	if l.o.peer == "bolt" {
		return boltTitles(ctx, l.dsn)
	}
	return exportTitles(ctx, l.bin, l.dsn)
}

// inboxPending counts alignbot's requests still waiting in its inbox: acked
// and durable, but not yet handled when the run ended (a missing title
// with a pending request is late, not lost). -1 if it cannot be read.
func (l *loader) inboxPending(ctx context.Context) int {
	driver := "sqlite"
	if l.o.postgres != "" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, l.dsn)
	if err != nil {
		return -1
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM inbox WHERE state = 'pending'").Scan(&n); err != nil {
		fmt.Fprintln(os.Stderr, "load: inbox:", err)
		return -1
	}
	return n
}

func boltTitles(ctx context.Context, path string) ([]string, error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT title FROM decisions")
	if err != nil {
		return nil, fmt.Errorf("bolt decisions: %w", err)
	}
	defer rows.Close()
	var titles []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		titles = append(titles, t)
	}
	return titles, rows.Err()
}
