-- Slack's rate limits, counted where every replica sees them: each
-- workspace's post budget and each Web API method's tier are one key
-- (team|method), whose calls in the last window are rows of
-- rate_limit_calls, and whose 429 hold lasts until blocked_until. Times
-- are milliseconds by the real clock: they are about Slack's limits, not
-- the rituals' time.

-- +goose Up
CREATE TABLE rate_limit_keys (
    key           TEXT   PRIMARY KEY,
    blocked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE rate_limit_calls (
    key TEXT   NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX rate_limit_calls_key ON rate_limit_calls (key, at);

-- +goose Down
DROP TABLE rate_limit_calls;
DROP TABLE rate_limit_keys;
