-- Decision rights as RACI, and teams as owners: an area's Responsible
-- doers; a proposal made by someone who is not its area's Accountable
-- owner, waiting for them to accept it or send it back (with the reason);
-- and the day a proposal past its decide-by date was escalated to that
-- owner. Owners (decisions' and areas') may now be a user group (S…) or a
-- channel (C…, G…) as well as a person, in the same columns.

-- +goose Up
ALTER TABLE decision_rights ADD COLUMN responsible TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN proposed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN sent_back TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN reminded_escalate TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE decisions DROP COLUMN reminded_escalate;
ALTER TABLE decisions DROP COLUMN sent_back;
ALTER TABLE decisions DROP COLUMN proposed_by;
ALTER TABLE decision_rights DROP COLUMN responsible;
