-- The inbox: every request from Slack (slash command, interaction, event)
-- is written here before it is acknowledged, and handled from here, so
-- nothing acknowledged lives only in memory. id is the request's own
-- identity (envelope, event or trigger ID), which drops redeliveries.
-- Times are milliseconds by the real clock: received_at, next_at and
-- claimed_until are about processes and leases, not the rituals' clock.
-- A handled request keeps its row, without its payload, for a day, so a
-- late redelivery is still recognised.

-- +goose Up
CREATE TABLE inbox (
    id            TEXT    PRIMARY KEY,
    team_id       TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    -- lane: requests of one conversation are handled in the order they came.
    lane          TEXT    NOT NULL,
    payload       TEXT    NOT NULL DEFAULT '',
    -- inline: answered inside the ack (a modal submission); a worker takes
    -- it up only if the process that answered it died first.
    inline        BOOLEAN NOT NULL DEFAULT FALSE,
    state         TEXT    NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT    NOT NULL DEFAULT '',
    claimed_until BIGINT  NOT NULL DEFAULT 0,
    next_at       BIGINT  NOT NULL DEFAULT 0,
    received_at   BIGINT  NOT NULL,
    done_at       BIGINT  NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX inbox_lanes ON inbox (lane, received_at) WHERE state = 'pending';
-- What a claim may take: waiting requests nobody holds, or whose claim
-- has lapsed (most waiting requests are held by the process that wrote
-- them, and a claim must not read past them).
CREATE INDEX inbox_claimable ON inbox (claimed_until, next_at) WHERE state = 'pending';
CREATE INDEX inbox_done ON inbox (done_at) WHERE state <> 'pending';

-- +goose Down
DROP TABLE inbox;
