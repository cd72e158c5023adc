-- Delivery figures: the hooks a channel connects (GitHub, GitLab, its own
-- signed events), what they sent, and the channel's review SLA; and the
-- leadership roll-up a channel gets with its digest (channels is a
-- newline-separated list; all_channels takes every channel with a digest). A hook's
-- id is public (it is in the URL); its secret signs what is sent, so it
-- is kept as given. An event is kept once per hook and delivery: a
-- sender's retry of a delivery is a duplicate. Times are milliseconds.

-- +goose Up
CREATE TABLE delivery_hooks (
    id               TEXT   PRIMARY KEY,
    team_id          TEXT   NOT NULL,
    channel_id       TEXT   NOT NULL,
    source           TEXT   NOT NULL,
    secret           TEXT   NOT NULL,
    created_by       TEXT   NOT NULL,
    created_at       BIGINT NOT NULL,
    last_delivery_at BIGINT NOT NULL DEFAULT 0,
    UNIQUE (team_id, channel_id, source)
);

CREATE TABLE delivery_events (
    hook_id     TEXT             NOT NULL,
    delivery    TEXT             NOT NULL,
    team_id     TEXT             NOT NULL,
    channel_id  TEXT             NOT NULL,
    source      TEXT             NOT NULL,
    kind        TEXT             NOT NULL,
    ref         TEXT             NOT NULL,
    at          BIGINT           NOT NULL,
    started_at  BIGINT           NOT NULL DEFAULT 0,
    ok          BOOLEAN          NOT NULL DEFAULT TRUE,
    name        TEXT             NOT NULL DEFAULT '',
    value       DOUBLE PRECISION NOT NULL DEFAULT 0,
    unit        TEXT             NOT NULL DEFAULT '',
    received_at BIGINT           NOT NULL,
    PRIMARY KEY (hook_id, delivery)
);
CREATE INDEX delivery_events_week ON delivery_events (team_id, channel_id, at);

CREATE TABLE delivery_slas (
    team_id       TEXT   NOT NULL,
    channel_id    TEXT   NOT NULL,
    review_sla_ms BIGINT NOT NULL,
    updated_by    TEXT   NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (team_id, channel_id)
);

CREATE TABLE digest_rollups (
    team_id      TEXT    NOT NULL,
    channel_id   TEXT    NOT NULL,
    channels     TEXT    NOT NULL DEFAULT '',
    all_channels BOOLEAN NOT NULL DEFAULT FALSE,
    updated_by   TEXT    NOT NULL,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (team_id, channel_id)
);

-- +goose Down
DROP TABLE digest_rollups;
DROP TABLE delivery_slas;
DROP TABLE delivery_events;
DROP TABLE delivery_hooks;
