-- Pulse surveys. Anonymity is kept by the shape of the tables, not by a
-- flag: pulse_audience says who was asked and whether they answered;
-- pulse_answers says what was answered, with no user column and no time.
-- An answer is keyed by a hash of a random token that only the person's DM
-- holds, so they can change it and nobody else can tell whose it is; its
-- id is random, so not even row order says who answered first.

-- +goose Up
CREATE TABLE pulses (
    team_id      TEXT    NOT NULL,
    number       BIGINT  NOT NULL,
    series       BIGINT  NOT NULL,
    run          INTEGER NOT NULL DEFAULT 1,
    channel_id   TEXT    NOT NULL,
    created_by   TEXT    NOT NULL,
    question     TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    options      TEXT    NOT NULL DEFAULT '',
    scale_low    TEXT    NOT NULL DEFAULT '',
    scale_high   TEXT    NOT NULL DEFAULT '',
    audience     TEXT    NOT NULL,
    audience_ref TEXT    NOT NULL DEFAULT '',
    anonymous    BOOLEAN NOT NULL,
    -- Fixed once the pulse is sent; the contract says never below 3.
    threshold    INTEGER NOT NULL CHECK (threshold >= 3),
    open_for_ms  BIGINT  NOT NULL CHECK (open_for_ms > 0),
    repeats      TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    sent_at      BIGINT  NOT NULL DEFAULT 0,
    remind_at    BIGINT  NOT NULL DEFAULT 0,
    reminded_at  BIGINT  NOT NULL DEFAULT 0,
    closes_at    BIGINT  NOT NULL DEFAULT 0,
    closed_at    BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, number)
);
CREATE INDEX pulses_channel ON pulses (team_id, channel_id, number);
CREATE INDEX pulses_series ON pulses (team_id, series, number);
CREATE INDEX pulses_open ON pulses (closes_at) WHERE status = 'open';

CREATE TABLE pulse_audience (
    team_id    TEXT    NOT NULL,
    pulse      BIGINT  NOT NULL,
    user_id    TEXT    NOT NULL,
    role       TEXT    NOT NULL DEFAULT '',
    answered   BOOLEAN NOT NULL DEFAULT FALSE,
    -- The key of this person's answer, for pulses that are not anonymous
    -- only; always '' for anonymous ones.
    answer_key TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, pulse, user_id),
    FOREIGN KEY (team_id, pulse) REFERENCES pulses (team_id, number)
);

CREATE TABLE pulse_answers (
    id         INTEGER PRIMARY KEY, -- random
    team_id    TEXT    NOT NULL,
    pulse      BIGINT  NOT NULL,
    answer_key TEXT    NOT NULL,
    role       TEXT    NOT NULL DEFAULT '',
    value      TEXT    NOT NULL,
    UNIQUE (team_id, pulse, answer_key),
    FOREIGN KEY (team_id, pulse) REFERENCES pulses (team_id, number)
);

-- How a channel's pulse answers are grouped: the members of a user group
-- answer as its role; the first group (by position) that holds a person wins.
CREATE TABLE pulse_roles (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    group_id   TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    updated_by TEXT    NOT NULL DEFAULT '',
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, channel_id, group_id)
);

-- +goose Down
DROP TABLE pulse_roles;
DROP TABLE pulse_answers;
DROP TABLE pulse_audience;
DROP TABLE pulses;
