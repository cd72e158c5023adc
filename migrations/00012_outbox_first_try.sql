-- An outbox item remembers when its first attempt began, in milliseconds
-- by the real clock that Slack's message timestamps also come from (0
-- until it is first claimed). An attempt in doubt looks through Slack's
-- messages from there, however many have been posted since.

-- +goose Up
ALTER TABLE outbox ADD COLUMN first_tried_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE outbox DROP COLUMN first_tried_at;
