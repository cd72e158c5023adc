-- The first schema: decisions, the outbox, and the bookkeeping that makes
-- delivery exactly-once. Times are BIGINT milliseconds since the Unix epoch
-- (UTC); calendar days are TEXT 'YYYY-MM-DD'. Every row carries team_id.

-- +goose Up
CREATE TABLE counters (
    team_id TEXT   NOT NULL,
    name    TEXT   NOT NULL,
    value   BIGINT NOT NULL,
    PRIMARY KEY (team_id, name)
);

CREATE TABLE processed_requests (
    team_id    TEXT   NOT NULL,
    request_id TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, request_id)
);
CREATE INDEX processed_requests_created ON processed_requests (created_at);

CREATE TABLE channels (
    team_id    TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',
    private    BOOLEAN NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, id)
);

CREATE TABLE decisions (
    team_id    TEXT    NOT NULL,
    number     BIGINT  NOT NULL,
    id         BIGINT  NOT NULL UNIQUE,
    date       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    rationale  TEXT    NOT NULL DEFAULT '',
    impact     TEXT    NOT NULL DEFAULT '',
    links      TEXT    NOT NULL DEFAULT '',
    source     TEXT    NOT NULL DEFAULT '',
    owner_id   TEXT    NOT NULL DEFAULT '',
    owner_name TEXT    NOT NULL DEFAULT '',
    author_id  TEXT    NOT NULL DEFAULT '',
    channel_id TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL,
    decide_by  TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL,
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, number)
);
CREATE INDEX decisions_channel ON decisions (team_id, channel_id, number);
CREATE INDEX decisions_date ON decisions (team_id, date);

CREATE TABLE decision_versions (
    team_id    TEXT    NOT NULL,
    number     BIGINT  NOT NULL,
    version    INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    text       TEXT    NOT NULL,
    rationale  TEXT    NOT NULL,
    impact     TEXT    NOT NULL,
    links      TEXT    NOT NULL,
    owner_id   TEXT    NOT NULL,
    owner_name TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    decide_by  TEXT    NOT NULL,
    replaced_by TEXT   NOT NULL,
    replaced_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, number, version),
    FOREIGN KEY (team_id, number) REFERENCES decisions (team_id, number)
);

CREATE TABLE outbox (
    id         TEXT    PRIMARY KEY,
    team_id    TEXT    NOT NULL,
    lane       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    channel_id TEXT    NOT NULL DEFAULT '',
    user_id    TEXT    NOT NULL DEFAULT '',
    ref        BIGINT  NOT NULL DEFAULT 0,
    msg_key    TEXT    NOT NULL DEFAULT '',
    target     TEXT    NOT NULL DEFAULT '',
    data       TEXT    NOT NULL DEFAULT '',
    reply_url  TEXT    NOT NULL DEFAULT '',
    trigger_id TEXT    NOT NULL DEFAULT '',
    interactive BOOLEAN NOT NULL DEFAULT FALSE,
    reminder   BOOLEAN NOT NULL DEFAULT FALSE,
    private    BOOLEAN NOT NULL DEFAULT FALSE,
    state      TEXT    NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    -- doubt: an earlier attempt may have reached Slack (it failed without a
    -- clear answer, or its process died mid-send), so look before resending.
    doubt      BOOLEAN NOT NULL DEFAULT FALSE,
    claimed_by TEXT    NOT NULL DEFAULT '',
    claimed_until BIGINT NOT NULL DEFAULT 0,
    next_at    BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL,
    done_at    BIGINT  NOT NULL DEFAULT 0,
    result_ts  TEXT    NOT NULL DEFAULT '',
    last_error TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE state = 'pending';
CREATE INDEX outbox_lane ON outbox (lane, id) WHERE state = 'pending';
CREATE INDEX outbox_done ON outbox (done_at) WHERE state <> 'pending';
CREATE INDEX outbox_reminders ON outbox (team_id, user_id, done_at) WHERE reminder AND state = 'sent';

CREATE TABLE slack_messages (
    team_id    TEXT   NOT NULL,
    msg_key    TEXT   NOT NULL,
    channel_id TEXT   NOT NULL,
    ts         TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, msg_key)
);

-- +goose Down
DROP TABLE slack_messages;
DROP TABLE outbox;
DROP TABLE decision_versions;
DROP TABLE decisions;
DROP TABLE channels;
DROP TABLE processed_requests;
DROP TABLE counters;
