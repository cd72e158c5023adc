package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/alignbot/alignbot/rituals"
)

// TableCopy is what CopyFrom did to one table.
type TableCopy struct {
	Table string
	Rows  int
}

// copyBatch is how many rows go in one INSERT: PostgreSQL takes at most
// 65,535 parameters a statement, and no table has 60 columns.
const copyBatch = 1000

// CopyFrom moves an alignbot SQLite database into this PostgreSQL one:
// every row of every table, in one transaction, search vectors rebuilt,
// then checked row for row against the source before it commits. Both
// must be migrated to the same version, and this one must hold no data.
// The source is only read; stop the bot that writes it first.
func (db *DB) CopyFrom(ctx context.Context, src *DB) ([]TableCopy, error) {
	if src.dialect != "sqlite" || db.dialect != "postgres" {
		return nil, errors.New("copy goes from a SQLite database into a PostgreSQL one")
	}
	if err := sameVersion(ctx, src, db); err != nil {
		return nil, err
	}
	tables, err := db.copyOrder(ctx)
	if err != nil {
		return nil, err
	}
	srcTables, err := sqliteTables(ctx, src)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if !srcTables[t] {
			return nil, fmt.Errorf("table %s is missing from the SQLite database", t)
		}
		delete(srcTables, t)
	}
	if len(srcTables) > 0 {
		return nil, fmt.Errorf("the SQLite database has tables PostgreSQL lacks: %s", strings.Join(slices.Sorted(maps.Keys(srcTables)), ", "))
	}

	tx, err := db.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", formatError(err))
	}
	defer tx.Rollback()
	var out []TableCopy
	for _, t := range tables {
		cols, err := copyColumns(ctx, src, tx, t)
		if err != nil {
			return nil, err
		}
		var hasRows bool
		if err := tx.GetContext(ctx, &hasRows, `SELECT EXISTS (SELECT 1 FROM `+t+`)`); err != nil {
			return nil, fmt.Errorf("look into %s: %w", t, formatError(err))
		}
		if hasRows {
			return nil, fmt.Errorf("the PostgreSQL database already holds data (table %s): copy into an empty one", t)
		}
		n, err := copyTable(ctx, src, tx, t, cols)
		if err != nil {
			return nil, err
		}
		out = append(out, TableCopy{Table: t, Rows: n})
	}
	if err := reindexDecisions(ctx, tx); err != nil {
		return nil, err
	}
	for _, t := range tables {
		cols, err := copyColumns(ctx, src, tx, t)
		if err != nil {
			return nil, err
		}
		if err := sameRows(ctx, src, tx, t, cols); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit the copy: %w", formatError(err))
	}
	return out, nil
}

// sameVersion refuses databases migrated to different versions: their
// tables would not line up.
func sameVersion(ctx context.Context, src, dst *DB) error {
	var a, b int64
	const q = `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied`
	if err := src.db.GetContext(ctx, &a, q); err != nil {
		return fmt.Errorf("read the SQLite database's version: %w", formatError(err))
	}
	if err := dst.db.GetContext(ctx, &b, q); err != nil {
		return fmt.Errorf("read the PostgreSQL database's version: %w", formatError(err))
	}
	if a != b {
		return fmt.Errorf("the SQLite database is at migration %d and PostgreSQL at %d: migrate both with this alignbot first", a, b)
	}
	return nil
}

// copyOrder lists PostgreSQL's alignbot tables, each after the tables its
// foreign keys point to.
func (db *DB) copyOrder(ctx context.Context) ([]string, error) {
	var names []string
	err := db.db.SelectContext(ctx, &names, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
		AND table_name NOT LIKE 'goose_db_version%' ORDER BY table_name`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", formatError(err))
	}
	var refs []struct {
		From string `db:"from_table"`
		To   string `db:"to_table"`
	}
	err = db.db.SelectContext(ctx, &refs, `SELECT c.conrelid::regclass::text AS from_table, c.confrelid::regclass::text AS to_table
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("list foreign keys: %w", formatError(err))
	}
	needs := map[string][]string{}
	for _, r := range refs {
		if r.From != r.To {
			needs[r.From] = append(needs[r.From], r.To)
		}
	}
	var order []string
	done, visiting := map[string]bool{}, map[string]bool{}
	var visit func(t string) error
	visit = func(t string) error {
		if done[t] {
			return nil
		}
		if visiting[t] {
			return fmt.Errorf("foreign keys form a cycle through %s", t)
		}
		visiting[t] = true
		for _, u := range needs[t] {
			if err := visit(u); err != nil {
				return err
			}
		}
		done[t] = true
		order = append(order, t)
		return nil
	}
	for _, t := range names {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// sqliteTables names the SQLite database's own tables: not SQLite's,
// goose's, or the full-text index (PostgreSQL keeps its own).
func sqliteTables(ctx context.Context, src *DB) (map[string]bool, error) {
	var names []string
	err := src.db.SelectContext(ctx, &names, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'goose_db_version%' AND name NOT LIKE 'decisions_fts%'`)
	if err != nil {
		return nil, fmt.Errorf("list SQLite tables: %w", formatError(err))
	}
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, nil
}

// column is one column both databases have, with PostgreSQL's type.
type column struct {
	Name string `db:"column_name"`
	Type string `db:"data_type"`
}

// copyColumns lists table's columns that the SQLite database has too
// (PostgreSQL's search vector is rebuilt, not copied), in PostgreSQL's
// order. A SQLite column PostgreSQL lacks is an error: it would be lost.
func copyColumns(ctx context.Context, src *DB, q sqlx.QueryerContext, table string) ([]column, error) {
	var pg []column
	err := sqlx.SelectContext(ctx, q, &pg, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, formatError(err))
	}
	var lite []string
	if err := src.db.SelectContext(ctx, &lite, `SELECT name FROM pragma_table_info(?)`, table); err != nil {
		return nil, fmt.Errorf("SQLite columns of %s: %w", table, formatError(err))
	}
	var out []column
	for _, c := range pg {
		if i := slices.Index(lite, c.Name); i >= 0 {
			out = append(out, c)
			lite = slices.Delete(lite, i, i+1)
		}
	}
	if len(lite) > 0 {
		return nil, fmt.Errorf("%s has columns PostgreSQL lacks: %s", table, strings.Join(lite, ", "))
	}
	return out, nil
}

func columnList(cols []column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// copyTable inserts every row of table from src, in batches.
func copyTable(ctx context.Context, src *DB, tx *sqlx.Tx, table string, cols []column) (int, error) {
	rows, err := src.db.QueryContext(ctx, `SELECT `+columnList(cols)+` FROM `+table)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", table, formatError(err))
	}
	defer rows.Close()
	n := 0
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var sb strings.Builder
		sb.WriteString(`INSERT INTO ` + table + ` (` + columnList(cols) + `) VALUES `)
		for r := 0; r < len(batch)/len(cols); r++ {
			if r > 0 {
				sb.WriteString(", ")
			}
			sb.WriteByte('(')
			for c := range cols {
				if c > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("$" + strconv.Itoa(r*len(cols)+c+1))
			}
			sb.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, sb.String(), batch...); err != nil {
			return fmt.Errorf("write %s: %w", table, formatError(err))
		}
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		vals, err := scanRow(rows, len(cols))
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", table, err)
		}
		for i, c := range cols {
			v, err := toPostgres(vals[i], c.Type)
			if err != nil {
				return 0, fmt.Errorf("%s.%s: %w", table, c.Name, err)
			}
			batch = append(batch, v)
		}
		n++
		if n%copyBatch == 0 {
			if err := flush(); err != nil {
				return 0, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("read %s: %w", table, formatError(err))
	}
	return n, flush()
}

func scanRow(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// toPostgres converts a value SQLite gave for a column of PostgreSQL
// type typ: SQLite keeps booleans as 0 and 1.
func toPostgres(v any, typ string) (any, error) {
	if typ != "boolean" || v == nil {
		return v, nil
	}
	switch b := v.(type) {
	case bool:
		return b, nil
	case int64:
		if b == 0 || b == 1 {
			return b == 1, nil
		}
	}
	return nil, fmt.Errorf("%v (%T) is not a boolean", v, v)
}

// reindexDecisions fills in every copied decision's search vector.
func reindexDecisions(ctx context.Context, tx *sqlx.Tx) error {
	var rows []struct {
		Team      string `db:"team_id"`
		Number    int64  `db:"number"`
		Title     string `db:"title"`
		Text      string `db:"text"`
		Rationale string `db:"rationale"`
		Impact    string `db:"impact"`
	}
	err := tx.SelectContext(ctx, &rows, `SELECT team_id, number, title, text, rationale, impact FROM decisions`)
	if err != nil {
		return fmt.Errorf("read decisions to index: %w", formatError(err))
	}
	stmt := tx.Rebind(`UPDATE decisions SET search = ` + searchVector + ` WHERE team_id = ? AND number = ?`)
	for _, r := range rows {
		d := rituals.Decision{Title: r.Title, Text: r.Text, Rationale: r.Rationale, Impact: r.Impact}
		if _, err := tx.ExecContext(ctx, stmt, append(searchArgs(&d), r.Team, r.Number)...); err != nil {
			return fmt.Errorf("index decision %d: %w", r.Number, formatError(err))
		}
	}
	return nil
}

// sameRows checks that table holds the same rows on both sides: a digest
// of each row, compared as sorted lists (the two databases sort text
// differently, so ORDER BY cannot line them up).
func sameRows(ctx context.Context, src *DB, tx *sqlx.Tx, table string, cols []column) error {
	digests := func(q interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	}) ([][32]byte, error) {
		rows, err := q.QueryContext(ctx, `SELECT `+columnList(cols)+` FROM `+table)
		if err != nil {
			return nil, formatError(err)
		}
		defer rows.Close()
		var out [][32]byte
		for rows.Next() {
			vals, err := scanRow(rows, len(cols))
			if err != nil {
				return nil, err
			}
			var b bytes.Buffer
			for i, c := range cols {
				v, err := toPostgres(vals[i], c.Type)
				if err != nil {
					return nil, err
				}
				fmt.Fprintf(&b, "%d:%s|", i, canonical(v))
			}
			out = append(out, sha256.Sum256(b.Bytes()))
		}
		slices.SortFunc(out, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
		return out, rows.Err()
	}
	a, err := digests(src.db)
	if err != nil {
		return fmt.Errorf("check %s in SQLite: %w", table, err)
	}
	b, err := digests(tx)
	if err != nil {
		return fmt.Errorf("check %s in PostgreSQL: %w", table, err)
	}
	if len(a) != len(b) {
		return fmt.Errorf("check %s: %d rows in SQLite, %d in PostgreSQL", table, len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Errorf("check %s: a row differs between SQLite and PostgreSQL", table)
		}
	}
	return nil
}

// canonical writes a value the same way whichever driver read it.
func canonical(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case []byte:
		return "s" + strconv.Quote(string(x))
	case string:
		return "s" + strconv.Quote(x)
	case int64:
		return "i" + strconv.FormatInt(x, 10)
	case int32:
		return "i" + strconv.FormatInt(int64(x), 10)
	case bool:
		return "b" + strconv.FormatBool(x)
	case float64:
		return "f" + strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return fmt.Sprintf("%T:%v", v, v)
	}
}
