-- The complete decision log: lifecycle dates, supersession, areas with
-- decision rights, revisit dates, the cards' extra channels, and the
-- reminders each decision has had.

-- +goose Up
ALTER TABLE decisions ADD COLUMN area TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN revisit_by TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN supersedes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN superseded_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN decided_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE decisions ADD COLUMN owner_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN posted_to TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN reminded_due TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN reminded_after TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN reminded_revisit TEXT NOT NULL DEFAULT '';
CREATE INDEX decisions_proposed ON decisions (decide_by) WHERE status = 'proposed';
CREATE INDEX decisions_revisit ON decisions (revisit_by) WHERE revisit_by <> '';

ALTER TABLE decision_versions ADD COLUMN area TEXT NOT NULL DEFAULT '';
ALTER TABLE decision_versions ADD COLUMN revisit_by TEXT NOT NULL DEFAULT '';
ALTER TABLE decision_versions ADD COLUMN superseded_by BIGINT NOT NULL DEFAULT 0;

CREATE TABLE decision_rights (
    team_id    TEXT   NOT NULL,
    area       TEXT   NOT NULL,
    owner_id   TEXT   NOT NULL,
    consulted  TEXT   NOT NULL DEFAULT '',
    informed   TEXT   NOT NULL DEFAULT '',
    names      TEXT   NOT NULL DEFAULT '',
    updated_by TEXT   NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, area)
);

-- +goose Down
DROP TABLE decision_rights;
DROP INDEX decisions_revisit;
DROP INDEX decisions_proposed;
