-- A proposal's comment period: the replies people post in the thread of
-- its card, in its own channel, while it is proposed. A reply is one row,
-- found again by its Slack ts (unique in its channel), so a redelivered
-- event records nothing twice. created_at is when it was recorded
-- (milliseconds); clipped marks a reply longer than a decision's text may
-- be, kept to that length (the whole reply stays in Slack).
-- reminded_comment holds the decide-by date the consulted people who had
-- not commented were reminded for, two days before it, as reminded_due
-- does for the owner's reminder.

-- +goose Up
CREATE TABLE decision_comments (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    ts         TEXT    NOT NULL,
    number     BIGINT  NOT NULL,
    thread_ts  TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    user_name  TEXT    NOT NULL DEFAULT '',
    text       TEXT    NOT NULL,
    clipped    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, channel_id, ts)
);
CREATE INDEX decision_comments_number ON decision_comments (team_id, number, created_at);
ALTER TABLE decisions ADD COLUMN reminded_comment TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE decisions DROP COLUMN reminded_comment;
DROP TABLE decision_comments;
