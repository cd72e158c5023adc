-- A modal is opened from the handler while its trigger is fresh, never
-- queued: the outbox no longer keeps trigger IDs.

-- +goose Up
ALTER TABLE outbox DROP COLUMN trigger_id;

-- +goose Down
ALTER TABLE outbox ADD COLUMN trigger_id TEXT NOT NULL DEFAULT '';
