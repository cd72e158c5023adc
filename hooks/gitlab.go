package hooks

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// gitlabTime reads GitLab's times, which its hooks write in several
// layouts ("2013-12-03T17:23:34Z", "2016-08-12 15:23:28 UTC",
// "2021-04-28 21:50:00 +0200").
type gitlabTime struct{ time.Time }

var gitlabLayouts = []string{time.RFC3339, "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 UTC"}

func (t *gitlabTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	for _, l := range gitlabLayouts {
		if v, err := time.Parse(l, s); err == nil {
			t.Time = v.UTC()
			return nil
		}
	}
	return fmt.Errorf("time %q is in no layout GitLab uses", s)
}

type gitlabProject struct {
	Path string `json:"path_with_namespace"`
}

// ParseGitLab reads a GitLab webhook of type event (X-Gitlab-Event) into
// delivery events: merge requests opened, approved and merged,
// deployments that succeeded or failed, and pipelines that finished.
func ParseGitLab(event string, body []byte) ([]rituals.DeliveryEvent, error) {
	switch event {
	case "Merge Request Hook":
		var p struct {
			Project gitlabProject `json:"project"`
			Attrs   struct {
				IID       int        `json:"iid"`
				Action    string     `json:"action"`
				CreatedAt gitlabTime `json:"created_at"`
				UpdatedAt gitlabTime `json:"updated_at"`
				Draft     bool       `json:"draft"`
			} `json:"object_attributes"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("merge request: %w", err)
		}
		ref := p.Project.Path + "!" + strconv.Itoa(p.Attrs.IID)
		switch p.Attrs.Action {
		case "open":
			if !p.Attrs.Draft {
				return one(rituals.EventPROpened, ref, p.Attrs.CreatedAt.Time, time.Time{}, true)
			}
		case "approved", "approval":
			return one(rituals.EventPRReviewed, ref, p.Attrs.UpdatedAt.Time, p.Attrs.CreatedAt.Time, true)
		case "merge":
			return one(rituals.EventPRMerged, ref, p.Attrs.UpdatedAt.Time, p.Attrs.CreatedAt.Time, true)
		}
	case "Deployment Hook":
		var p struct {
			Status    string        `json:"status"`
			ChangedAt gitlabTime    `json:"status_changed_at"`
			ID        int64         `json:"deployment_id"`
			Project   gitlabProject `json:"project"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("deployment: %w", err)
		}
		ref := p.Project.Path + "/deployments/" + strconv.FormatInt(p.ID, 10)
		switch p.Status {
		case "success":
			return one(rituals.EventDeploy, ref, p.ChangedAt.Time, time.Time{}, true)
		case "failed":
			return one(rituals.EventDeploy, ref, p.ChangedAt.Time, time.Time{}, false)
		}
	case "Pipeline Hook":
		var p struct {
			Project gitlabProject `json:"project"`
			Attrs   struct {
				ID         int64      `json:"id"`
				Status     string     `json:"status"`
				FinishedAt gitlabTime `json:"finished_at"`
			} `json:"object_attributes"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
		ref := p.Project.Path + "/pipelines/" + strconv.FormatInt(p.Attrs.ID, 10)
		switch strings.ToLower(p.Attrs.Status) {
		case "success":
			return one(rituals.EventPipeline, ref, p.Attrs.FinishedAt.Time, time.Time{}, true)
		case "failed":
			return one(rituals.EventPipeline, ref, p.Attrs.FinishedAt.Time, time.Time{}, false)
		}
	}
	return nil, nil
}
