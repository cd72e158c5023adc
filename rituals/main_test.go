package rituals_test

import (
	"os"
	"testing"

	"github.com/alignbot/alignbot/internal/testdb"
)

// TestMain runs the package's tests on SQLite, then on PostgreSQL when it
// answers: the domain tests drive the real store.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
