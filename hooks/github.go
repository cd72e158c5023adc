package hooks

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/alignbot/alignbot/rituals"
)

// githubRepo is the part of every GitHub payload that names the
// repository.
type githubRepo struct {
	FullName string `json:"full_name"`
}

type githubPR struct {
	Number    int        `json:"number"`
	CreatedAt time.Time  `json:"created_at"`
	MergedAt  *time.Time `json:"merged_at"`
	Merged    bool       `json:"merged"`
	Draft     bool       `json:"draft"`
}

// ParseGitHub reads a GitHub webhook of type event (X-GitHub-Event) into
// delivery events: pull_request opened and merged, pull_request_review
// submitted, deployment_status, and workflow_run completed. Other events
// and actions (ping, a label added, a run requested) carry none.
func ParseGitHub(event string, body []byte) ([]rituals.DeliveryEvent, error) {
	switch event {
	case "pull_request":
		var p struct {
			Action      string     `json:"action"`
			PullRequest githubPR   `json:"pull_request"`
			Repository  githubRepo `json:"repository"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("pull_request: %w", err)
		}
		ref := prRef(p.Repository.FullName, p.PullRequest.Number)
		switch {
		case p.Action == "opened" && !p.PullRequest.Draft, p.Action == "ready_for_review":
			return one(rituals.EventPROpened, ref, p.PullRequest.CreatedAt, time.Time{}, true)
		case p.Action == "closed" && p.PullRequest.Merged && p.PullRequest.MergedAt != nil:
			return one(rituals.EventPRMerged, ref, *p.PullRequest.MergedAt, p.PullRequest.CreatedAt, true)
		}
	case "pull_request_review":
		var p struct {
			Action string `json:"action"`
			Review struct {
				State       string    `json:"state"`
				SubmittedAt time.Time `json:"submitted_at"`
			} `json:"review"`
			PullRequest githubPR   `json:"pull_request"`
			Repository  githubRepo `json:"repository"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("pull_request_review: %w", err)
		}
		if p.Action == "submitted" {
			return one(rituals.EventPRReviewed, prRef(p.Repository.FullName, p.PullRequest.Number),
				p.Review.SubmittedAt, p.PullRequest.CreatedAt, true)
		}
	case "deployment_status":
		var p struct {
			Status struct {
				State     string    `json:"state"`
				CreatedAt time.Time `json:"created_at"`
			} `json:"deployment_status"`
			Deployment struct {
				ID int64 `json:"id"`
			} `json:"deployment"`
			Repository githubRepo `json:"repository"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("deployment_status: %w", err)
		}
		ref := p.Repository.FullName + "/deployments/" + strconv.FormatInt(p.Deployment.ID, 10)
		switch p.Status.State {
		case "success":
			return one(rituals.EventDeploy, ref, p.Status.CreatedAt, time.Time{}, true)
		case "failure", "error":
			return one(rituals.EventDeploy, ref, p.Status.CreatedAt, time.Time{}, false)
		}
	case "workflow_run":
		var p struct {
			Action string `json:"action"`
			Run    struct {
				ID         int64     `json:"id"`
				Conclusion string    `json:"conclusion"`
				UpdatedAt  time.Time `json:"updated_at"`
			} `json:"workflow_run"`
			Repository githubRepo `json:"repository"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fmt.Errorf("workflow_run: %w", err)
		}
		if p.Action != "completed" {
			return nil, nil
		}
		ref := p.Repository.FullName + "/runs/" + strconv.FormatInt(p.Run.ID, 10)
		switch p.Run.Conclusion {
		case "success":
			return one(rituals.EventPipeline, ref, p.Run.UpdatedAt, time.Time{}, true)
		case "failure", "timed_out":
			return one(rituals.EventPipeline, ref, p.Run.UpdatedAt, time.Time{}, false)
		}
	}
	return nil, nil
}

func prRef(repo string, n int) string { return repo + "#" + strconv.Itoa(n) }

// one returns a single event, refusing one with no time: a payload that
// lacks it is not one alignbot can place in a week.
func one(kind rituals.EventKind, ref string, at, started time.Time, ok bool) ([]rituals.DeliveryEvent, error) {
	if at.IsZero() {
		return nil, fmt.Errorf("%s %s: no time in the payload", kind, ref)
	}
	return []rituals.DeliveryEvent{{Kind: kind, Ref: ref, At: at.UTC(), Started: started.UTC(), OK: ok}}, nil
}
