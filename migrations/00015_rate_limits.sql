-- Slack's rate limits, counted where every replica sees them: each
-- workspace's post budget and each Web API method's tier are one key
-- (team|method), whose calls are counted per second in rate_limit_calls
-- (a sliding window is a minute of them), and whose 429 hold lasts until
-- blocked_until. Times are by the real clock: they are about Slack's
-- limits, not the rituals' time.

-- +goose Up
CREATE TABLE rate_limit_keys (
    key           TEXT   PRIMARY KEY,
    -- milliseconds
    blocked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE rate_limit_calls (
    key    TEXT    NOT NULL,
    -- seconds since the epoch
    second BIGINT  NOT NULL,
    calls  INTEGER NOT NULL,
    PRIMARY KEY (key, second)
);

-- +goose Down
DROP TABLE rate_limit_calls;
DROP TABLE rate_limit_keys;
