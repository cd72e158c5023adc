package storage

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
)

// The SQLite driver prepares every statement it is given and finalizes it
// once run: a /decide commit spends a third of its time having SQLite
// parse and plan the same dozen statements again. cachingConnector wraps
// the driver's connections so that each connection keeps the statements it ran, and runs
// them again from the cache: reset and rebound, never re-parsed.
//
// Statements are cached per connection, as SQLite prepares them, and a
// connection serves one caller at a time; a statement whose rows are
// still being read (a query run again inside the loop over its own rows)
// is not shared: the second run gets a statement of its own. SQLite
// re-prepares a cached statement itself if the schema changed under it.

// stmtCacheSize bounds the statements one connection keeps. The bot runs
// about two hundred distinct statements; queries built for a number of
// values (IN lists) vary in length, and the least recently used go first.
const stmtCacheSize = 512

// cachingConnector opens connections of base that cache their statements.
type cachingConnector struct{ base driver.Connector }

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return newCachingConn(conn)
}

func (c cachingConnector) Driver() driver.Driver { return c.base.Driver() }

// baseConn is what the SQLite driver's connections implement and the
// wrapper relies on.
type baseConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
}

type cachingConn struct {
	baseConn
	stmts map[string]*list.Element // of *cachedStmt
	lru   list.List                // most recently used first
}

func newCachingConn(c driver.Conn) (driver.Conn, error) {
	bc, ok := c.(baseConn)
	if !ok {
		c.Close()
		return nil, fmt.Errorf("sqlite connection %T cannot prepare with a context", c)
	}
	return &cachingConn{baseConn: bc, stmts: map[string]*list.Element{}}, nil
}

// cachedStmt is a prepared statement and whether its rows are being read.
type cachedStmt struct {
	query string
	stmt  stmtContext
	busy  bool
}

type stmtContext interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// stmt returns the cached statement for query, preparing and caching it
// on first use; fresh is a statement of its own when the cached one is
// busy, to be closed by the caller.
func (c *cachingConn) stmt(ctx context.Context, query string) (cs *cachedStmt, fresh bool, err error) {
	if e, ok := c.stmts[query]; ok {
		cs = e.Value.(*cachedStmt)
		if !cs.busy {
			c.lru.MoveToFront(e)
			return cs, false, nil
		}
	}
	ds, err := c.baseConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, false, err
	}
	st, ok := ds.(stmtContext)
	if !ok {
		ds.Close()
		return nil, false, fmt.Errorf("sqlite statement %T cannot run with a context", ds)
	}
	cs = &cachedStmt{query: query, stmt: st}
	if _, ok := c.stmts[query]; ok {
		return cs, true, nil
	}
	c.stmts[query] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
		delete(c.stmts, old.query)
		if !old.busy {
			old.stmt.Close()
		}
	}
	return cs, false, nil
}

// ExecContext implements driver.ExecerContext from the cache.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, fresh, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	res, err := cs.stmt.ExecContext(ctx, args)
	if fresh {
		err = errors.Join(err, cs.stmt.Close())
	}
	return res, err
}

// QueryContext implements driver.QueryerContext from the cache. The
// statement is busy until its rows are closed.
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, fresh, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := cs.stmt.QueryContext(ctx, args)
	if err != nil {
		if fresh {
			cs.stmt.Close()
		}
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, conn: c, cs: cs, fresh: fresh}, nil
}

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		if cs := e.Value.(*cachedStmt); !cs.busy {
			errs = append(errs, cs.stmt.Close())
		}
	}
	c.lru.Init()
	clear(c.stmts)
	return errors.Join(append(errs, c.baseConn.Close())...)
}

// ResetSession, IsValid and Ping pass through to the driver's connection.
func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.baseConn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.baseConn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.baseConn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// cachedRows frees its statement for the next run once closed.
type cachedRows struct {
	driver.Rows
	conn  *cachingConn
	cs    *cachedStmt
	fresh bool
}

// ColumnTypeDatabaseTypeName and ColumnTypeScanType pass through to the
// driver's rows, which database/sql's ColumnTypes reads.
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	if r.fresh {
		return errors.Join(err, r.cs.stmt.Close())
	}
	if _, cached := r.conn.stmts[r.cs.query]; !cached || r.conn.stmts[r.cs.query].Value != r.cs {
		// Evicted while its rows were read.
		return errors.Join(err, r.cs.stmt.Close())
	}
	return err
}

var (
	_ driver.ExecerContext      = (*cachingConn)(nil)
	_ driver.QueryerContext     = (*cachingConn)(nil)
	_ driver.SessionResetter    = (*cachingConn)(nil)
	_ driver.Validator          = (*cachingConn)(nil)
	_ driver.Pinger             = (*cachingConn)(nil)
	_ driver.ConnBeginTx        = (*cachingConn)(nil)
	_ driver.ConnPrepareContext = (*cachingConn)(nil)
)
