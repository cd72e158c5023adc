package rituals

import (
	"strings"
	"sync"
	"time"
)

// Zone is an IANA time zone, parsed once where its name comes in: from a
// person's command (ParseZone), from Slack's user record (ParseZone, by
// the edge), or from a stored row or payload (StoredZone). The rules read
// days and times in its Location from then on; its name is what is stored
// and shown.
//
// The fallback lives here and nowhere else: the zero Zone (no zone
// known) and a stored zone whose name no longer loads both read as UTC.
// Nothing is logged when that happens, as nothing was before: a reminder
// on a UTC day is the lesser harm. Only Schedule.Next refuses such a
// zone, so a schedule is reported on every tick rather than run at hours
// its channel never chose.
//
// Zones compare with ==: a name loads to one *time.Location per process.
type Zone struct {
	name string
	loc  *time.Location // nil when name is empty or does not load
}

// ParseZone parses a time zone a person (or Slack) names: "UTC", or an
// IANA Area/City name such as "Europe/Berlin". Names are case-sensitive,
// as the tz database's are, and "Local", the server's own zone, means
// nothing to a channel. Returns EINVALID, with a sentence to show, for
// an empty name, one of another shape, or one the tz database does not
// know.
func ParseZone(name string) (Zone, error) {
	if !zoneShaped(name) {
		return Zone{}, errNotZone(name)
	}
	loc, err := loadZone(name)
	if err != nil {
		return Zone{}, errNotZone(name)
	}
	return Zone{name: name, loc: loc}, nil
}

// StoredZone returns the zone a stored name names: a row's zone column,
// an outbox payload, a button's value. It never fails. Any name the tz
// database knows is taken, since rows were written under looser rules
// than ParseZone's; a name that does not load (nor "Local") keeps its
// name, so a row written back is unchanged, and reads as UTC.
func StoredZone(name string) Zone {
	z := Zone{name: name}
	if name != "" && name != "Local" {
		z.loc, _ = loadZone(name)
	}
	return z
}

// ZoneOf returns the zone of loc, e.g. a Caller's Location. nil and
// time.Local, which mean nothing to a channel, are UTC.
func ZoneOf(loc *time.Location) Zone {
	if loc == nil || loc.String() == "Local" {
		loc = time.UTC
	}
	return Zone{name: loc.String(), loc: loc}
}

// String returns the zone's name, as given or stored; "" for no zone.
func (z Zone) String() string { return z.name }

// IsZero reports whether z is no zone.
func (z Zone) IsZero() bool { return z.name == "" }

// Location returns where the zone's times are read: UTC for no zone and
// for a stored name that does not load.
func (z Zone) Location() *time.Location {
	if z.loc == nil {
		return time.UTC
	}
	return z.loc
}

// Equal reports whether z and o have the same name; go-cmp uses it, as
// it cannot look inside a Zone.
func (z Zone) Equal(o Zone) bool { return z.name == o.name }

// MarshalText writes the zone's name: payloads carry the name, as text.
func (z Zone) MarshalText() ([]byte, error) { return []byte(z.name), nil }

// UnmarshalText reads a name MarshalText wrote, as StoredZone does.
func (z *Zone) UnmarshalText(b []byte) error {
	*z = StoredZone(string(b))
	return nil
}

func errNotZone(name string) error {
	return Errorf(EINVALID, "%q is not a time zone; use an IANA name such as Europe/Berlin.", name)
}

// zoneShaped reports whether name is "UTC" or Area/City with each part
// capitalized, as every name of the tz database is: "Local", "EST" and
// "europe/berlin" are not, whatever the host's zoneinfo (a case-blind
// file system among them) would load.
func zoneShaped(name string) bool {
	if name == "UTC" {
		return true
	}
	parts := strings.Split(name, "/")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || p[0] < 'A' || p[0] > 'Z' {
			return false
		}
	}
	return true
}

// zones caches loaded locations by name: loading reads the tz database,
// and one *time.Location per name keeps Zones comparable. Only names that
// loaded are kept, so it holds at most the database's few hundred.
var zones sync.Map

// loadZone is the one place a zone name is loaded.
func loadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	got, _ := zones.LoadOrStore(name, loc)
	return got.(*time.Location), nil
}
