package bot

import (
	"fmt"
	"slices"
	"testing"
)

// Features register their routes by name into shared maps, where a
// second registration of a name would silently replace the first: no
// two features may claim the same command, action, shortcut, view, event
// or thread kind. (Events several features need, such as a channel's
// membership, are handled by one that calls the others.)
func TestFeaturesClaimDistinctRoutes(t *testing.T) {
	owner := map[string]string{} // "kind name" → the feature that claimed it
	for _, f := range (&Bot{}).features() {
		ft := newRouteTable()
		f.routes(&ft)
		name := fmt.Sprintf("%T", f)
		for kind, names := range map[string][]string{
			"slash": keys(ft.slash), "action": keys(ft.actions), "shortcut": keys(ft.shortcuts),
			"view": keys(ft.views), "event": keys(ft.events), "thread": keys(ft.threads),
			"suggestion":    keys(ft.suggestions),
			"thread change": keys(ft.threadChanges),
		} {
			for _, n := range names {
				key := kind + " " + n
				if other, ok := owner[key]; ok {
					t.Errorf("%s %q is claimed by both %s and %s", kind, n, other, name)
				}
				owner[key] = name
			}
		}
	}
	if len(owner) == 0 {
		t.Fatal("no feature registered a route")
	}
}

func keys[V any](m map[string]V) []string { return slices.Collect(mapKeys(m)) }
