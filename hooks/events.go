package hooks

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alignbot/alignbot/rituals"
)

// Limits on alignbot's own events.
const (
	maxEventID   = 200
	maxEventName = 80
	maxEventUnit = 20
)

// event is alignbot's own signed JSON event, for any CI or script:
//
//	{"type": "deploy", "id": "build-812", "ok": true, "started_at": "2026-12-04T09:00:00Z"}
//	{"type": "incident_opened", "id": "INC-7"}
//	{"type": "incident_resolved", "id": "INC-7"}
//	{"type": "metric", "name": "nps", "value": 44, "unit": "points"}
//
// "at" (RFC 3339) is when it happened; when absent it is left zero, and
// taken as the time of receipt by alignbot's clock (rituals.Hooks).
type event struct {
	Type      string     `json:"type"`
	ID        string     `json:"id"`
	At        *time.Time `json:"at"`
	OK        *bool      `json:"ok"`
	StartedAt *time.Time `json:"started_at"`
	Name      string     `json:"name"`
	Value     *float64   `json:"value"`
	Unit      string     `json:"unit"`
}

// ParseEvent reads one of alignbot's own events, signed at ts (its
// X-Alignbot-Timestamp). It returns the event and the key that makes a
// second copy of it a duplicate: its type and ID, or for a metric its
// name and time (ts when it names none). Errors say what is wrong, for
// the sender to read.
func ParseEvent(body []byte, ts string) (rituals.DeliveryEvent, string, error) {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	var e event
	if err := dec.Decode(&e); err != nil {
		return rituals.DeliveryEvent{}, "", fmt.Errorf("the body is not an event: %w", err)
	}
	var at time.Time
	when := "sent " + ts
	if e.At != nil {
		at = e.At.UTC()
		when = at.Format(time.RFC3339Nano)
	}
	out := rituals.DeliveryEvent{At: at, Ref: e.ID, OK: true}
	needID := func() error {
		if e.ID == "" || utf8.RuneCountInString(e.ID) > maxEventID {
			return fmt.Errorf("a %s needs an id of 1 to %d characters", e.Type, maxEventID)
		}
		return nil
	}
	switch e.Type {
	case "deploy":
		if err := needID(); err != nil {
			return out, "", err
		}
		out.Kind = rituals.EventDeploy
		if e.OK != nil {
			out.OK = *e.OK
		}
		if e.StartedAt != nil {
			out.Started = e.StartedAt.UTC()
		}
	case "incident_opened", "incident_resolved":
		if err := needID(); err != nil {
			return out, "", err
		}
		out.Kind = rituals.EventKind(e.Type)
	case "metric":
		if e.Name == "" || utf8.RuneCountInString(e.Name) > maxEventName {
			return out, "", fmt.Errorf("a metric needs a name of 1 to %d characters", maxEventName)
		}
		if e.Value == nil || math.IsNaN(*e.Value) || math.IsInf(*e.Value, 0) {
			return out, "", fmt.Errorf("a metric needs a numeric value")
		}
		if utf8.RuneCountInString(e.Unit) > maxEventUnit {
			return out, "", fmt.Errorf("a metric's unit may have at most %d characters", maxEventUnit)
		}
		out.Kind, out.Name, out.Value, out.Unit = rituals.EventMetric, e.Name, *e.Value, e.Unit
		out.Ref = e.Name
		return out, "metric:" + e.Name + ":" + when, nil
	default:
		return out, "", fmt.Errorf("type %q is not one of deploy, incident_opened, incident_resolved, metric", e.Type)
	}
	return out, e.Type + ":" + e.ID, nil
}
