-- Blockers reach the team that must act, and escalation climbs.
--
-- blocker_claims: the user groups and people a channel claims as its own
-- team (/blocker team). A blocker that names one of them shows in that
-- channel as one other teams need from it. A party may be claimed by
-- several channels, and a channel may claim several parties.
--
-- blocker_escalation_targets: where a channel's blockers go once they are
-- open past twice its SLA (/blocker escalate-to): a person or a channel.
--
-- blockers.climbed_at: when a blocker went to its channel's escalation
-- target (climbed_to: that person or channel, as it was then); 0 until
-- claimed, so it happens once, as escalated_at does.

-- +goose Up
CREATE TABLE blocker_claims (
    team_id    TEXT   NOT NULL,
    channel_id TEXT   NOT NULL,
    kind       TEXT   NOT NULL,
    party_id   TEXT   NOT NULL,
    name       TEXT   NOT NULL DEFAULT '',
    claimed_by TEXT   NOT NULL DEFAULT '',
    claimed_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id, party_id)
);
CREATE INDEX blocker_claims_party ON blocker_claims (team_id, party_id);

CREATE TABLE blocker_escalation_targets (
    team_id    TEXT   NOT NULL,
    channel_id TEXT   NOT NULL,
    kind       TEXT   NOT NULL,
    target_id  TEXT   NOT NULL,
    name       TEXT   NOT NULL DEFAULT '',
    updated_by TEXT   NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id)
);

ALTER TABLE blockers ADD COLUMN climbed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE blockers ADD COLUMN climbed_to TEXT NOT NULL DEFAULT '';
CREATE INDEX blockers_climb ON blockers (created_at) WHERE status = 'open' AND climbed_at = 0;

-- +goose Down
DROP INDEX blockers_climb;
ALTER TABLE blockers DROP COLUMN climbed_to;
ALTER TABLE blockers DROP COLUMN climbed_at;
DROP TABLE blocker_escalation_targets;
DROP TABLE blocker_claims;
