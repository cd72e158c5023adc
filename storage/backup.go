package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to path, which must
// not exist yet. Writers may keep writing meanwhile.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != "sqlite" {
		return errors.New("backup copies SQLite databases; back PostgreSQL up with pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists; choose a new file", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, formatError(err))
	}
	return nil
}
