package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to path, which must
// not exist yet. Writers may keep writing meanwhile. The copy holds
// everything, so it is readable by its owner only (0600), whatever the
// umask.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != "sqlite" {
		return errors.New("backup copies SQLite databases; back PostgreSQL up with pg_dump")
	}
	// VACUUM INTO would create the file with SQLite's default mode (0644
	// less the umask); it also writes into an empty file, which keeps the
	// mode it was created with.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; choose a new file", path)
	}
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, pathless(err))
	}
	f.Close()
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, formatError(err))
	}
	return nil
}
