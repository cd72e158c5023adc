-- App Home: who has opened theirs (only they get refreshed when their
-- items change; anyone else's Home is published when they first open it),
-- and the indexes that keep one person's Home a handful of index lookups.

-- +goose Up
CREATE TABLE home_views (
    team_id   TEXT   NOT NULL,
    user_id   TEXT   NOT NULL,
    opened_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

-- The proposals a person owns; the open blockers of a workspace, with
-- their channels and numbers (status second, not a partial index: with
-- no statistics, SQLite picks the index that covers the query and matches
-- the most equalities); the pulses waiting for a person's answer; the
-- reminders folded by the cap.
CREATE INDEX decisions_owner_proposed ON decisions (team_id, owner_id) WHERE status = 'proposed';
CREATE INDEX blockers_status ON blockers (team_id, status, channel_id, number);
CREATE INDEX pulse_audience_waiting ON pulse_audience (team_id, user_id) WHERE answered = FALSE;
CREATE INDEX outbox_folded ON outbox (team_id, user_id, done_at) WHERE state = 'folded';

-- +goose Down
DROP INDEX outbox_folded;
DROP INDEX pulse_audience_waiting;
DROP INDEX blockers_status;
DROP INDEX decisions_owner_proposed;
DROP TABLE home_views;
