-- Pre-mortems and retros ("R-n" sessions): their items, the votes on
-- them, and the marks that make closing, the follow-up and each due-day
-- reminder happen once (closed_at, followed_up_at and reminded_at are 0
-- until claimed). An anonymous item has an empty author_id: nothing
-- records who added it.

-- +goose Up
CREATE TABLE ritual_sessions (
    team_id        TEXT   NOT NULL,
    number         BIGINT NOT NULL,
    kind           TEXT   NOT NULL,
    name           TEXT   NOT NULL,
    channel_id     TEXT   NOT NULL,
    creator_id     TEXT   NOT NULL,
    creator_name   TEXT   NOT NULL DEFAULT '',
    status         TEXT   NOT NULL,
    launch_on      TEXT   NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    closes_at      BIGINT NOT NULL,
    closed_at      BIGINT NOT NULL DEFAULT 0,
    closed_by      TEXT   NOT NULL DEFAULT '',
    -- follow_up_at: when a pre-mortem's follow-up is due; 0 without a launch day.
    follow_up_at   BIGINT NOT NULL DEFAULT 0,
    followed_up_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, number)
);
CREATE INDEX ritual_sessions_channel ON ritual_sessions (team_id, channel_id, kind, status, created_at);
CREATE INDEX ritual_sessions_closing ON ritual_sessions (closes_at) WHERE status = 'open';
CREATE INDEX ritual_sessions_follow_up ON ritual_sessions (follow_up_at) WHERE follow_up_at > 0 AND followed_up_at = 0;

CREATE TABLE ritual_items (
    team_id     TEXT    NOT NULL,
    number      BIGINT  NOT NULL,
    item        BIGINT  NOT NULL,
    kind        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    author_id   TEXT    NOT NULL DEFAULT '',
    anonymous   BOOLEAN NOT NULL DEFAULT FALSE,
    source_ts   TEXT    NOT NULL DEFAULT '',
    likelihood  TEXT    NOT NULL DEFAULT '',
    impact      TEXT    NOT NULL DEFAULT '',
    tag         TEXT    NOT NULL DEFAULT '',
    owner_id    TEXT    NOT NULL DEFAULT '',
    owner_name  TEXT    NOT NULL DEFAULT '',
    owner_zone  TEXT    NOT NULL DEFAULT '',
    due_on      TEXT    NOT NULL DEFAULT '',
    assigned_by TEXT    NOT NULL DEFAULT '',
    assigned_at BIGINT  NOT NULL DEFAULT 0,
    reminded_at BIGINT  NOT NULL DEFAULT 0,
    done_at     BIGINT  NOT NULL DEFAULT 0,
    done_by     TEXT    NOT NULL DEFAULT '',
    blocker     BIGINT  NOT NULL DEFAULT 0,
    happened_at BIGINT  NOT NULL DEFAULT 0,
    happened_by TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (team_id, number, item),
    FOREIGN KEY (team_id, number) REFERENCES ritual_sessions (team_id, number)
);
CREATE INDEX ritual_items_due ON ritual_items (due_on) WHERE owner_id <> '' AND done_at = 0 AND reminded_at = 0;

-- One row per person and item they +1'd; taking a vote back deletes it.
CREATE TABLE ritual_votes (
    team_id  TEXT   NOT NULL,
    number   BIGINT NOT NULL,
    item     BIGINT NOT NULL,
    user_id  TEXT   NOT NULL,
    voted_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, number, item, user_id),
    FOREIGN KEY (team_id, number, item) REFERENCES ritual_items (team_id, number, item)
);

-- +goose Down
DROP TABLE ritual_votes;
DROP TABLE ritual_items;
DROP TABLE ritual_sessions;
