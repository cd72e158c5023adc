package hooks

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

func fixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// The payloads, in the shape of GitHub's and GitLab's documented
// examples, read into the events the figures count; others into none.
func TestParsePayloads(t *testing.T) {
	for name, tc := range map[string]struct {
		parse func(string, []byte) ([]rituals.DeliveryEvent, error)
		event string
		file  string
		want  []rituals.DeliveryEvent
	}{
		"GitHubPROpened": {ParseGitHub, "pull_request", "github/pull_request.opened.json", []rituals.DeliveryEvent{
			{Kind: rituals.EventPROpened, Ref: "Codertocat/Hello-World#2", At: utc("2019-05-15T15:20:33Z"), OK: true}}},
		"GitHubPRMerged": {ParseGitHub, "pull_request", "github/pull_request.closed.json", []rituals.DeliveryEvent{
			{Kind: rituals.EventPRMerged, Ref: "Codertocat/Hello-World#2", At: utc("2019-05-15T15:20:38Z"), Started: utc("2019-05-15T15:20:33Z"), OK: true}}},
		"GitHubReview": {ParseGitHub, "pull_request_review", "github/pull_request_review.submitted.json", []rituals.DeliveryEvent{
			{Kind: rituals.EventPRReviewed, Ref: "Codertocat/Hello-World#2", At: utc("2019-05-15T15:20:38Z"), Started: utc("2019-05-15T15:20:33Z"), OK: true}}},
		"GitHubDeployOK": {ParseGitHub, "deployment_status", "github/deployment_status.success.json", []rituals.DeliveryEvent{
			{Kind: rituals.EventDeploy, Ref: "Codertocat/Hello-World/deployments/145988746", At: utc("2019-05-15T15:20:55Z"), OK: true}}},
		"GitHubDeployFailed": {ParseGitHub, "deployment_status", "github/deployment_status.failure.json", []rituals.DeliveryEvent{
			{Kind: rituals.EventDeploy, Ref: "Codertocat/Hello-World/deployments/145988746", At: utc("2019-05-15T15:21:40Z"), OK: false}}},
		"GitHubWorkflowRun": {ParseGitHub, "workflow_run", "github/workflow_run.completed.json", []rituals.DeliveryEvent{
			{Kind: rituals.EventPipeline, Ref: "Codertocat/Hello-World/runs/30433642", At: utc("2020-01-22T19:35:14Z"), OK: false}}},
		"GitHubPing":          {ParseGitHub, "ping", "github/ping.json", nil},
		"GitHubOtherEvent":    {ParseGitHub, "issues", "github/pull_request.opened.json", nil},
		"GitHubReviewAsPR":    {ParseGitHub, "pull_request", "github/pull_request_review.submitted.json", nil},
		"GitLabMROpened":      {ParseGitLab, "Merge Request Hook", "gitlab/merge_request.open.json", []rituals.DeliveryEvent{{Kind: rituals.EventPROpened, Ref: "gitlabhq/gitlab-test!1", At: utc("2013-12-03T17:23:34Z"), OK: true}}},
		"GitLabMRApproved":    {ParseGitLab, "Merge Request Hook", "gitlab/merge_request.approved.json", []rituals.DeliveryEvent{{Kind: rituals.EventPRReviewed, Ref: "gitlabhq/gitlab-test!1", At: utc("2013-12-04T09:05:00Z"), Started: utc("2013-12-03T17:23:34Z"), OK: true}}},
		"GitLabMRMerged":      {ParseGitLab, "Merge Request Hook", "gitlab/merge_request.merge.json", []rituals.DeliveryEvent{{Kind: rituals.EventPRMerged, Ref: "gitlabhq/gitlab-test!1", At: utc("2013-12-04T11:00:00Z"), Started: utc("2013-12-03T17:23:34Z"), OK: true}}},
		"GitLabDeployment":    {ParseGitLab, "Deployment Hook", "gitlab/deployment.success.json", []rituals.DeliveryEvent{{Kind: rituals.EventDeploy, Ref: "root/test-deployment-webhooks/deployments/15", At: utc("2021-04-28T19:50:00Z"), OK: true}}},
		"GitLabPipelineFails": {ParseGitLab, "Pipeline Hook", "gitlab/pipeline.failed.json", []rituals.DeliveryEvent{{Kind: rituals.EventPipeline, Ref: "gitlab-org/gitlab-test/pipelines/31", At: utc("2016-08-12T15:26:29Z"), OK: false}}},
		"GitLabOtherEvent":    {ParseGitLab, "Push Hook", "gitlab/pipeline.failed.json", nil},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := tc.parse(tc.event, fixture(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("%d events %+v, want %d", len(got), got, len(tc.want))
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if g.Kind != w.Kind || g.Ref != w.Ref || !g.At.Equal(w.At) || !g.Started.Equal(w.Started) || g.OK != w.OK {
					t.Errorf("event %+v\nwant  %+v", g, w)
				}
			}
		})
	}
}

func TestParseRefusesBrokenPayloads(t *testing.T) {
	for name, tc := range map[string]struct {
		parse func(string, []byte) ([]rituals.DeliveryEvent, error)
		event string
		body  string
	}{
		"GitHubNotJSON":      {ParseGitHub, "pull_request", "{"},
		"GitHubMergedNoTime": {ParseGitHub, "pull_request", `{"action":"closed","pull_request":{"number":1,"merged":true,"merged_at":"0001-01-01T00:00:00Z"}}`},
		"GitHubBadTime":      {ParseGitHub, "deployment_status", `{"deployment_status":{"state":"success","created_at":"yesterday"}}`},
		"GitLabNotJSON":      {ParseGitLab, "Pipeline Hook", "[]"},
		"GitLabBadTime":      {ParseGitLab, "Deployment Hook", `{"status":"success","status_changed_at":"28 April"}`},
		"GitLabDeployNoTime": {ParseGitLab, "Deployment Hook", `{"status":"failed","deployment_id":3}`},
	} {
		t.Run(name, func(t *testing.T) {
			if evs, err := tc.parse(tc.event, []byte(tc.body)); err == nil {
				t.Fatalf("read %q as %+v, want an error", tc.body, evs)
			}
		})
	}
}

func TestParseEvent(t *testing.T) {
	const ts = "1796385600"
	for name, tc := range map[string]struct {
		body    string
		want    rituals.DeliveryEvent
		key     string
		wantErr bool
	}{
		"Deploy": {body: `{"type":"deploy","id":"build-812","started_at":"2026-12-04T09:00:00Z"}`,
			want: rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: "build-812", Started: utc("2026-12-04T09:00:00Z"), OK: true}, key: "deploy:build-812"},
		"FailedDeployAt": {body: `{"type":"deploy","id":"b-9","ok":false,"at":"2026-12-04T10:00:00Z"}`,
			want: rituals.DeliveryEvent{Kind: rituals.EventDeploy, Ref: "b-9", At: utc("2026-12-04T10:00:00Z")}, key: "deploy:b-9"},
		"Incident": {body: `{"type":"incident_opened","id":"INC-7"}`,
			want: rituals.DeliveryEvent{Kind: rituals.EventIncidentOpened, Ref: "INC-7", OK: true}, key: "incident_opened:INC-7"},
		"Metric": {body: `{"type":"metric","name":"nps","value":44,"unit":"points"}`,
			want: rituals.DeliveryEvent{Kind: rituals.EventMetric, Ref: "nps", Name: "nps", Value: 44, Unit: "points", OK: true},
			key:  "metric:nps:sent 1796385600"},
		"MetricAt": {body: `{"type":"metric","name":"nps","value":45,"at":"2026-12-04T10:00:00Z"}`,
			want: rituals.DeliveryEvent{Kind: rituals.EventMetric, Ref: "nps", Name: "nps", Value: 45, At: utc("2026-12-04T10:00:00Z"), OK: true},
			key:  "metric:nps:2026-12-04T10:00:00Z"},
		"Empty":           {body: ``, wantErr: true},
		"UnknownType":     {body: `{"type":"release","id":"1"}`, wantErr: true},
		"UnknownField":    {body: `{"type":"deploy","id":"1","env":"prod"}`, wantErr: true},
		"DeployWithoutID": {body: `{"type":"deploy"}`, wantErr: true},
		"MetricNoValue":   {body: `{"type":"metric","name":"nps"}`, wantErr: true},
		"MetricNoName":    {body: `{"type":"metric","value":3}`, wantErr: true},
		"LongUnit":        {body: `{"type":"metric","name":"x","value":1,"unit":"aaaaaaaaaaaaaaaaaaaaaaaaa"}`, wantErr: true},
	} {
		t.Run(name, func(t *testing.T) {
			got, key, err := ParseEvent([]byte(tc.body), ts)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("read %q as %+v, want an error", tc.body, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := tc.want
			if got.Kind != w.Kind || got.Ref != w.Ref || !got.At.Equal(w.At) || !got.Started.Equal(w.Started) || got.OK != w.OK ||
				got.Name != w.Name || got.Value != w.Value || got.Unit != w.Unit || key != tc.key {
				t.Errorf("read %+v key %q\nwant %+v key %q", got, key, w, tc.key)
			}
		})
	}
}
