package main

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/alignbot/alignbot/bot"
)

// testdata/manifest.schema.json is Slack's published app-manifest schema
// (slackapi/manifest-schema), copied from shared/slack.

func loadManifest(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
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
	for _, name := range []string{"manifest.yaml", "manifest.http.yaml"} {
		if err := schema.Validate(loadManifest(t, name)); err != nil {
			t.Errorf("%s is not a valid Slack app manifest: %v", name, err)
		}
	}
}

func TestManifestMatchesTheBot(t *testing.T) {
	m := loadManifest(t, "manifest.yaml")
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

// TestHTTPManifestMatchesSocketManifest keeps the two manifests one app:
// the HTTP one differs only in Socket Mode being off and in the request
// URLs, each pointing at the path the bot serves.
func TestHTTPManifestMatchesSocketManifest(t *testing.T) {
	socket, web := loadManifest(t, "manifest.yaml"), loadManifest(t, "manifest.http.yaml")
	settings := web["settings"].(map[string]any)
	if settings["socket_mode_enabled"] != false {
		t.Error("manifest.http.yaml must turn Socket Mode off")
	}
	take := func(m map[string]any, key, path string) {
		t.Helper()
		url, _ := m[key].(string)
		if !strings.HasPrefix(url, "https://") || !strings.HasSuffix(url, path) {
			t.Errorf("%s = %q, want an https URL ending in %s", key, url, path)
		}
		delete(m, key)
	}
	take(settings["event_subscriptions"].(map[string]any), "request_url", "/slack/events")
	take(settings["interactivity"].(map[string]any), "request_url", "/slack/interactivity")
	take(settings["interactivity"].(map[string]any), "message_menu_options_url", "/slack/options")
	for _, c := range web["features"].(map[string]any)["slash_commands"].([]any) {
		take(c.(map[string]any), "url", "/slack/commands")
	}
	for _, m := range []map[string]any{socket, web} {
		delete(m["settings"].(map[string]any), "socket_mode_enabled")
		delete(m["display_information"].(map[string]any), "long_description")
	}
	if !reflect.DeepEqual(socket, web) {
		t.Errorf("manifest.http.yaml differs from manifest.yaml beyond the request URLs:\nsocket %v\nhttp   %v", socket, web)
	}
}

// ecmaRegexp adapts regexp2 to jsonschema.Regexp.
type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }
