-- Weekly check-ins: each run with its agenda and results, the answers and
-- plain thread replies, the answers given ahead, and the channel's window,
-- holidays and people away.

-- +goose Up
CREATE TABLE checkin_settings (
    team_id    TEXT   NOT NULL,
    channel_id TEXT   NOT NULL,
    window_ms  BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id)
);

CREATE TABLE checkin_skips (
    team_id    TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    day        TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, channel_id, day)
);

CREATE TABLE checkin_away (
    team_id   TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    until_day TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE checkins (
    team_id       TEXT    NOT NULL,
    channel_id    TEXT    NOT NULL,
    scheduled_for BIGINT  NOT NULL,
    opened_at     BIGINT  NOT NULL,
    closes_at     BIGINT  NOT NULL,
    closed_at     BIGINT  NOT NULL DEFAULT 0,
    reminded_at   BIGINT  NOT NULL DEFAULT 0,
    skipped       BOOLEAN NOT NULL DEFAULT FALSE,
    zone          TEXT    NOT NULL DEFAULT 'UTC',
    next_due      TEXT    NOT NULL DEFAULT '',
    agenda        TEXT    NOT NULL DEFAULT '',
    members       INTEGER NOT NULL DEFAULT 0,
    answered      INTEGER NOT NULL DEFAULT 0,
    blockers      TEXT    NOT NULL DEFAULT '',
    decisions     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, channel_id, scheduled_for)
);
CREATE INDEX checkins_open ON checkins (closes_at) WHERE closed_at = 0;

CREATE TABLE checkin_answers (
    team_id       TEXT   NOT NULL,
    channel_id    TEXT   NOT NULL,
    scheduled_for BIGINT NOT NULL,
    user_id       TEXT   NOT NULL,
    outcomes      TEXT   NOT NULL,
    blockers      TEXT   NOT NULL DEFAULT '',
    decisions     TEXT   NOT NULL DEFAULT '',
    answered_at   BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id, scheduled_for, user_id)
);

CREATE TABLE checkin_replies (
    team_id       TEXT   NOT NULL,
    channel_id    TEXT   NOT NULL,
    scheduled_for BIGINT NOT NULL,
    ts            TEXT   NOT NULL,
    user_id       TEXT   NOT NULL,
    text          TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id, scheduled_for, ts)
);

-- Answers given ahead wait here, scheduled_for 0, until the next run.
CREATE TABLE checkin_pending (
    team_id     TEXT   NOT NULL,
    channel_id  TEXT   NOT NULL,
    user_id     TEXT   NOT NULL,
    outcomes    TEXT   NOT NULL,
    blockers    TEXT   NOT NULL DEFAULT '',
    decisions   TEXT   NOT NULL DEFAULT '',
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id, user_id)
);

-- +goose Down
DROP TABLE checkin_pending;
DROP TABLE checkin_replies;
DROP TABLE checkin_answers;
DROP TABLE checkins;
DROP TABLE checkin_away;
DROP TABLE checkin_skips;
DROP TABLE checkin_settings;
