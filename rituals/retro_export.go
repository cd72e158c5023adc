package rituals

import (
	"encoding/json"
	"fmt"
	"io"
)

// exportedSession is a pre-mortem or retro as exports show it: every
// field, its ID, and its items ranked as its summary ranks them.
type exportedSession struct {
	ID string `json:"id"`
	*Session
	Items []exportedItem `json:"items"`
}

// exportedItem is an item with its place in the ranking and its score
// (likelihood × impact, 0 when not rated). An anonymous item's author_id
// is empty: nothing recorded who added it.
type exportedItem struct {
	Rank  int `json:"rank"`
	Score int `json:"score"`
	*Item
}

// WriteSessionsJSON writes sessions as one indented JSON array with every
// field, in the order given.
func WriteSessionsJSON(w io.Writer, sessions []*Session) error {
	out := make([]exportedSession, len(sessions))
	for i, s := range sessions {
		items := make([]exportedItem, 0, len(s.Items))
		for rank, it := range s.Ranked() {
			items = append(items, exportedItem{Rank: rank + 1, Score: it.Score(), Item: it})
		}
		out[i] = exportedSession{ID: s.ID(), Session: s, Items: items}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write rituals json: %w", err)
	}
	return nil
}
