-- Schedules of recurring rituals, and their occurrences. An occurrence is
-- unique on (schedule, scheduled_for): claiming it is what makes a run
-- happen once, whatever the number of processes or ticks.

-- +goose Up
CREATE TABLE schedules (
    team_id     TEXT   NOT NULL,
    channel_id  TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    spec        TEXT   NOT NULL,
    zone        TEXT   NOT NULL,
    window_ms   BIGINT NOT NULL,
    next_run_at BIGINT NOT NULL,
    created_by  TEXT   NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id, kind)
);
CREATE INDEX schedules_due ON schedules (next_run_at);

CREATE TABLE occurrences (
    team_id       TEXT   NOT NULL,
    channel_id    TEXT   NOT NULL,
    kind          TEXT   NOT NULL,
    scheduled_for BIGINT NOT NULL,
    opened_at     BIGINT NOT NULL,
    closes_at     BIGINT NOT NULL,
    reminded_at   BIGINT NOT NULL DEFAULT 0,
    closed_at     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, channel_id, kind, scheduled_for)
);
CREATE INDEX occurrences_open ON occurrences (closes_at) WHERE closed_at = 0;

-- +goose Down
DROP TABLE occurrences;
DROP TABLE schedules;
