-- The weekly digest reads a channel's entries by time window: decisions by
-- when they became decided, proposals by due day, blockers by when they
-- were resolved (0 while open), check-ins and pulses by when they closed.

-- +goose Up
CREATE INDEX decisions_decided ON decisions (team_id, channel_id, decided_at);
CREATE INDEX decisions_due ON decisions (team_id, channel_id, status, decide_by);
CREATE INDEX blockers_in_play ON blockers (team_id, channel_id, resolved_at, created_at);
CREATE INDEX checkins_closed ON checkins (team_id, channel_id, closed_at);
CREATE INDEX pulses_closed ON pulses (team_id, channel_id, closed_at);

-- +goose Down
DROP INDEX pulses_closed;
DROP INDEX checkins_closed;
DROP INDEX blockers_in_play;
DROP INDEX decisions_due;
DROP INDEX decisions_decided;
