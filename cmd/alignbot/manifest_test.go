package main

import (
	"os"
	"slices"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/alignbot/alignbot/bot"
)

// testdata/manifest.schema.json is Slack's published app-manifest schema
// (slackapi/manifest-schema), copied from shared/slack.

func loadManifest(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestManifestValidAgainstSlackSchema(t *testing.T) {
	f, err := os.Open("testdata/manifest.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	// Slack's schema uses ECMAScript patterns (lookaheads) Go's regexp lacks.
	c.UseRegexpEngine(func(pattern string) (jsonschema.Regexp, error) {
		re, err := regexp2.Compile(pattern, regexp2.ECMAScript)
		if err != nil {
			return nil, err
		}
		return ecmaRegexp{re}, nil
	})
	if err := c.AddResource("manifest.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("manifest.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(loadManifest(t)); err != nil {
		t.Fatalf("manifest.yaml is not a valid Slack app manifest: %v", err)
	}
}

func TestManifestMatchesTheBot(t *testing.T) {
	m := loadManifest(t)
	features := m["features"].(map[string]any)
	var commands, shortcuts []string
	for _, c := range features["slash_commands"].([]any) {
		commands = append(commands, c.(map[string]any)["command"].(string))
	}
	for _, s := range features["shortcuts"].([]any) {
		s := s.(map[string]any)
		if s["type"] == "message" {
			shortcuts = append(shortcuts, s["callback_id"].(string))
		}
	}
	slices.Sort(commands)
	slices.Sort(shortcuts)
	if want := slices.Sorted(slices.Values(bot.Commands())); !slices.Equal(commands, want) {
		t.Errorf("manifest commands %v, bot handles %v", commands, want)
	}
	if want := slices.Sorted(slices.Values(bot.MessageShortcuts())); !slices.Equal(shortcuts, want) {
		t.Errorf("manifest message shortcuts %v, bot handles %v", shortcuts, want)
	}
	settings := m["settings"].(map[string]any)
	if settings["socket_mode_enabled"] != true {
		t.Error("manifest.yaml must enable Socket Mode")
	}
	var events []string
	if subs, ok := settings["event_subscriptions"].(map[string]any); ok {
		for _, e := range subs["bot_events"].([]any) {
			events = append(events, e.(string))
		}
	}
	slices.Sort(events)
	if want := bot.Events(); !slices.Equal(events, want) && !(len(events) == 0 && len(want) == 0) {
		t.Errorf("manifest bot events %v, bot handles %v", events, want)
	}
}

// ecmaRegexp adapts regexp2 to jsonschema.Regexp.
type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }
