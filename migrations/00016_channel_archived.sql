-- What Slack last said of a channel includes whether it is archived, so a
-- replica can trust another's fresh lookup instead of asking Slack again
-- (conversations.info has a small budget that replicas share).

-- +goose Up
ALTER TABLE channels ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE channels DROP COLUMN archived;
