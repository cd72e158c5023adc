-- The decision log's site asks, on every page, whether the log changed
-- since it last read its filters (storage.DecisionLogStamp): the latest
-- update of a team's decisions, found in the index instead of a pass over
-- every decision.

-- +goose Up
CREATE INDEX decisions_updated ON decisions (team_id, updated_at);

-- +goose Down
DROP INDEX decisions_updated;
