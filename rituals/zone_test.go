package rituals_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// TestParseZone pins what a person may name as a time zone: UTC or an
// IANA Area/City name, spelled as the tz database spells it.
func TestParseZone(t *testing.T) {
	for _, tc := range []struct {
		name, zone string
		ok         bool
	}{
		{"AreaCity", "Europe/Berlin", true},
		{"UTC", "UTC", true},
		{"ThreeParts", "America/Argentina/Buenos_Aires", true},
		{"EtcOffset", "Etc/GMT+5", true},
		{"ErrEmpty", "", false},
		{"ErrLocal", "Local", false},
		{"ErrBogus", "Mars/Olympus", false},
		{"ErrLowercase", "europe/berlin", false},
		{"ErrLowercaseCity", "Europe/berlin", false},
		{"ErrNotAreaCity", "EST", false},
		{"ErrEmptyCity", "Europe/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z, err := rituals.ParseZone(tc.zone)
			if !tc.ok {
				if rituals.ErrorCode(err) != rituals.EINVALID || !strings.Contains(rituals.ErrorMessage(err), "is not a time zone") {
					t.Fatalf("ParseZone(%q) err=%v, want EINVALID saying it is not a time zone", tc.zone, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := z.String(); got != tc.zone {
				t.Fatalf("String()=%q, want %q", got, tc.zone)
			}
			if got := z.Location().String(); got != tc.zone {
				t.Fatalf("Location()=%q, want %q", got, tc.zone)
			}
			if again, _ := rituals.ParseZone(tc.zone); again != z {
				t.Fatalf("parsed twice, %q gave zones that differ", tc.zone)
			}
		})
	}
}

// TestStoredZone pins the one fallback: a stored name that no longer
// loads keeps its name (so a row written back is unchanged) and reads as
// UTC, except that a schedule refuses it.
func TestStoredZone(t *testing.T) {
	for _, tc := range []struct {
		name, stored, loc string
		loaded            bool
	}{
		{"AreaCity", "Europe/Berlin", "Europe/Berlin", true},
		{"UTC", "UTC", "UTC", true},
		// Written before ParseZone's Area/City rule: read as it always was.
		{"OlderRule", "EST", "EST", true},
		{"NoLongerLoadsIsUTC", "Mars/Olympus", "UTC", false},
		{"EmptyIsUTC", "", "UTC", false},
		{"LocalIsUTC", "Local", "UTC", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := rituals.StoredZone(tc.stored)
			if got := z.String(); got != tc.stored {
				t.Fatalf("String()=%q, want the stored %q", got, tc.stored)
			}
			if got := z.Location().String(); got != tc.loc {
				t.Fatalf("Location()=%q, want %q", got, tc.loc)
			}
			_, err := (&rituals.Schedule{Spec: "0 9 * * 1", Zone: z}).Next(time.Now())
			if got := err == nil; got != tc.loaded {
				t.Fatalf("Next err=%v, want a schedule to run only in a zone that loaded", err)
			}
		})
	}
}

func TestZoneOf(t *testing.T) {
	berlin, err := rituals.ParseZone("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		loc  *time.Location
		want rituals.Zone
	}{
		{"NilIsUTC", nil, rituals.StoredZone("UTC")},
		{"LocalIsUTC", time.Local, rituals.StoredZone("UTC")},
		{"SameAsParsed", berlin.Location(), berlin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rituals.ZoneOf(tc.loc); got != tc.want {
				t.Fatalf("ZoneOf=%v, want %v", got, tc.want)
			}
		})
	}
}

// TestZoneOnTheWire pins payloads: a zone travels as its name.
func TestZoneOnTheWire(t *testing.T) {
	ref := rituals.DigestRef{Channel: "C1", End: 1, Zone: rituals.StoredZone("Europe/Berlin")}
	b, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"channel":"C1","end":1,"zone":"Europe/Berlin"}`; got != want {
		t.Fatalf("wire %s, want %s", got, want)
	}
	var back rituals.DigestRef
	if err := json.Unmarshal(b, &back); err != nil || back != ref {
		t.Fatalf("read back %+v err=%v, want %+v", back, err, ref)
	}
	if err := json.Unmarshal([]byte(`{"channel":"C1","end":1,"zone":"Mars/Olympus"}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.Zone.String() != "Mars/Olympus" || back.Zone.Location() != time.UTC {
		t.Fatalf("zone %q in %v, want the name kept and UTC", back.Zone, back.Zone.Location())
	}
}
