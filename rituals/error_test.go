package rituals_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/alignbot/alignbot/rituals"
)

// A request already handled is done: Done turns ErrDuplicate, however
// wrapped, into nil, and leaves every other error, and nil, as it is.
func TestDoneTreatsADuplicateAsDone(t *testing.T) {
	other := rituals.Errorf(rituals.EINVALID, "no")
	for name, tc := range map[string]struct{ in, want error }{
		"Nil":              {nil, nil},
		"Duplicate":        {rituals.ErrDuplicate, nil},
		"WrappedDuplicate": {fmt.Errorf("record: %w", rituals.ErrDuplicate), nil},
		"Other":            {other, other},
	} {
		t.Run(name, func(t *testing.T) {
			if got := rituals.Done(tc.in); !errors.Is(got, tc.want) || (tc.want == nil) != (got == nil) {
				t.Fatalf("Done(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
