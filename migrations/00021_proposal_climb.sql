-- A proposal past its decide-by date climbs a second level: four days
-- after that date it goes to its channel's escalation target (see
-- blocker_escalation_targets, 00019). reminded_climb holds the decide-by
-- date it went for, as reminded_escalate does for the first level.

-- +goose Up
ALTER TABLE decisions ADD COLUMN reminded_climb TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE decisions DROP COLUMN reminded_climb;
