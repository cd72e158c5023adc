package migrations

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// released holds the SHA-256 of every released migration, by its path
// under migrations/ (line endings read as \n, so a checkout that turns
// them into \r\n still matches). A database records only a migration's
// version: an edit to a file it already ran never reaches it, and the
// same version means two schemas. So released files never change and
// are never removed; a change to the schema is a NEW file with the next
// free number, recorded here in the same commit.
var released = map[string]string{
	"00001_init.sql":                     "73c1bae138cf2cd49a364c5095e539dd4085465b37912cf2a4142c2d18183bea",
	"00002_schedules.sql":                "7d7fefe48ee8a0d1463a52b223dd6c3d39e357e24c850e5bca03b35dc9fc0b0f",
	"00003_blockers.sql":                 "285bd3bf30c08f0857dd6927004f4cf07dbf41dc9c15992e3ef035caa87e6c40",
	"00004_decision_log.sql":             "31e1e8a059fcbb12107cf30e946dd53df8caa425f46d41bda8680d36a2eb1f44",
	"00005_pulses.sql":                   "9e1276f854ffac8926e60addf1c19edd3b81de1fa2401faa7268e36a508c33bd",
	"00006_message_lookup.sql":           "eec293e0fdb795e01e394bea6cb0abcd922ef3bd49dfa17fbb92ea63fbfb15ce",
	"00007_rituals.sql":                  "5d66c752a8629a11f70b5a1121f9fda64dbf6e544af4d355e765b1dbb6b68c3d",
	"00008_checkins.sql":                 "c3691780eeefcc88219d3c282f7846782d9b0512da882ab659ced6d7b59a4478",
	"00009_app_home.sql":                 "7125d78d3bdb07b282013e3518532f6da7b51b478654acbdc39f619a0eb60def",
	"00010_digest.sql":                   "6715669d38623246fd7c95bd2cfb3548cb0040a2409adb3fd006e136feb68cc2",
	"00011_pulse_ballots.sql":            "054636f9b268c33b6ecddf026bae644962a1ccedd867d9edcb964eca3cbfc7ec",
	"00012_outbox_first_try.sql":         "39fa6d5ab6d62a6a1c8d241f8b24066db840c55c6787bc7540d7199116faf383",
	"00013_inbox.sql":                    "dfd775eea6cce62e9748979ed1467087d3a35086d91965b00c8e9ff701a49488",
	"00014_title_words.sql":              "6f9aa920585407fe2c3808ff9fb19333dd166e7b6a47c2378096a0c7bb467021",
	"00015_rate_limits.sql":              "821daafc8f87ac87c4c6381eff16f34aed9762a4ee3ab9f0744f9da7ef4fcf9c",
	"00016_channel_archived.sql":         "2eea58023f2668093ba7f3007f8b9d1e46e5efc43429e617bcff5fead252c09b",
	"00017_outbox_no_trigger.sql":        "3903cf2f4f1a405e9f1ffdd0de0701e61b6d5b90f8e5635f940d9d23df4535bc",
	"00018_outbox_pending.sql":           "0acf41ec05dbc2be63498ca6f67ce65b9649d6806c8555d757b9cea86d0d95d6",
	"00019_blocker_teams.sql":            "dc859fa8cf1c2a2c53e8b12aded94123ba389bfd3bcb779f22d7ffdb63672bd6",
	"00024_decision_log_stamp.sql":       "ac38b93b474f9bacaca07c0b70e019e260d7d969f28f6c911be2e5aff9abb822",
	"00025_delivery_hooks.sql":           "3b5ab51b357a726e67d886546a015ea38f5eb48b8e90e338710de10ca37b1dc0",
	"00026_home_tour.sql":                "40d75a8968ba524f38c7d23282b82c6ea4aac035e9c74a17eea7df08b52670e0",
	"00021_proposal_climb.sql":           "747009deccdd505b7b7a67479ae02f6078e8745f66856f02868f73063fa92242",
	"00020_raci_teams.sql":               "6587af605c25a37342b0c73325f64a72530de04bb53238cd423dbd2cf34184c2",
	"00027_decision_comments.sql":        "aadea1e9039e790d6fb1ca2d1f6ddcaac0b3cd1014b9bcc4bd1bc5508902a236",
	"00028_workdays.sql":                 "ce46a5d12d75a895128d0a9eaf64dc052a309c5ae02b451e27a9f9ce490b3e6d",
	"postgres/00001_decision_search.sql": "6de3434a9066897cd39557a46003253faf3b267392530d5d84e6534251c062f6",
	"postgres/00002_title_search.sql":    "207c1ceb8155ea7cfe2805f9e5340eba41b2f4ddd1414676fe8472a60e6b48b9",
	"postgres/00003_pulse_ballots.sql":   "21b8365d63204089ff64bc600d8782522fdd6fc51e50e04ef4c7e26288cbb237",
	"postgres/00004_outbox_analyze.sql":  "0cfc92540b122f9102726ca54854729aff2b56f38bbda0a868e71b83cafcce8a",
	"sqlite/00001_decision_search.sql":   "76a7082b6c43edf067eb1c6738081b5951f9265fc744dc6424859ca53706b89d",
	"sqlite/00002_search_impact.sql":     "46895d923ef5a14e3ef95e5e8a5617c776cf3029848208c329c42b41e637e30d",
	"sqlite/00003_pulse_ballots.sql":     "7aab9d66734de2b524b154672400df040824f2d63c543d223f62aa51882feceb",
}

// TestMigrationsAreAppendOnly fails when a released migration changed or
// is gone, and when a migration has no recorded checksum yet, saying
// what to do in each case.
func TestMigrationsAreAppendOnly(t *testing.T) {
	found := map[string]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")))
		found[filepath.ToSlash(path)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range slices.Sorted(maps.Keys(released)) {
		got, ok := found[path]
		switch {
		case !ok:
			t.Errorf("migrations/%s was released but is gone. Restore it (git checkout -- migrations/%s): "+
				"databases that ran it record its version, and a released migration is never removed. "+
				"To undo what it did, add a NEW migration with the next free number.", path, path)
		case got != released[path]:
			t.Errorf("migrations/%s changed after it was released (SHA-256 %s, recorded %s). "+
				"Released migrations are never edited: databases that already ran it would never see the change. "+
				"Revert the edit (git checkout -- migrations/%s) and put the change in a NEW migration with the next free number.",
				path, got, released[path], path)
		}
	}
	for _, path := range slices.Sorted(maps.Keys(found)) {
		if _, ok := released[path]; !ok {
			t.Errorf("migrations/%s has no recorded checksum. If it is a new migration (a NEW file, not a renamed or "+
				"edited one), record it by adding this line to `released` in migrations/migrations_test.go:\n\t%q: %q,\n"+
				"From then on it is released and never edited.", path, path, found[path])
		}
	}
}
