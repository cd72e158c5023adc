-- Find which of the bot's messages a thread reply answers: by where it
-- was posted.

-- +goose Up
CREATE INDEX slack_messages_at ON slack_messages (team_id, channel_id, ts);

-- +goose Down
DROP INDEX slack_messages_at;
