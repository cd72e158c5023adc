-- Blockers: what blocks a team until others act, who must act, and the
-- marks that make escalation and the overdue flag happen once each
-- (escalated_at and overdue_at are 0 until claimed).

-- +goose Up
CREATE TABLE blockers (
    team_id       TEXT   NOT NULL,
    number        BIGINT NOT NULL,
    channel_id    TEXT   NOT NULL,
    reporter_id   TEXT   NOT NULL,
    reporter_name TEXT   NOT NULL DEFAULT '',
    text          TEXT   NOT NULL,
    impact        TEXT   NOT NULL DEFAULT '',
    needed_by     TEXT   NOT NULL DEFAULT '',
    -- due_at: when needed_by ends in the reporter's time zone; 0 without one.
    due_at        BIGINT NOT NULL DEFAULT 0,
    source        TEXT   NOT NULL DEFAULT '',
    status        TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    resolved_at   BIGINT NOT NULL DEFAULT 0,
    resolved_by   TEXT   NOT NULL DEFAULT '',
    resolution    TEXT   NOT NULL DEFAULT '',
    -- resolve_ms: time from reported to resolved, for the digest.
    resolve_ms    BIGINT NOT NULL DEFAULT 0,
    escalated_at  BIGINT NOT NULL DEFAULT 0,
    overdue_at    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, number)
);
CREATE INDEX blockers_channel ON blockers (team_id, channel_id, status, created_at);
CREATE INDEX blockers_stale ON blockers (created_at) WHERE status = 'open' AND escalated_at = 0;
CREATE INDEX blockers_due ON blockers (due_at) WHERE status = 'open' AND overdue_at = 0 AND due_at > 0;
CREATE INDEX blockers_resolved ON blockers (team_id, resolved_at) WHERE status = 'resolved';

-- One row per party, in the order named. members: a user group's people
-- when the blocker was reported, one user ID a line.
CREATE TABLE blocker_parties (
    team_id  TEXT    NOT NULL,
    number   BIGINT  NOT NULL,
    position INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    party_id TEXT    NOT NULL,
    name     TEXT    NOT NULL DEFAULT '',
    members  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (team_id, number, position),
    FOREIGN KEY (team_id, number) REFERENCES blockers (team_id, number)
);
CREATE INDEX blocker_parties_party ON blocker_parties (team_id, party_id);

CREATE TABLE blocker_acks (
    team_id  TEXT   NOT NULL,
    number   BIGINT NOT NULL,
    user_id  TEXT   NOT NULL,
    acked_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, number, user_id),
    FOREIGN KEY (team_id, number) REFERENCES blockers (team_id, number)
);

-- A channel's escalation threshold, when it has set one.
CREATE TABLE blocker_slas (
    team_id    TEXT   NOT NULL,
    channel_id TEXT   NOT NULL,
    sla_ms     BIGINT NOT NULL,
    updated_by TEXT   NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id)
);

-- +goose Down
DROP TABLE blocker_slas;
DROP TABLE blocker_acks;
DROP TABLE blocker_parties;
DROP TABLE blockers;
