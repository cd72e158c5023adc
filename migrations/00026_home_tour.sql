-- App Home's first-run tour: when each person first opened their Home
-- (milliseconds). Their Home shows the tour while their last opening is
-- that first one (home_views.opened_at = shown_at), and never after.
-- People who opened their Home before the tour existed are recorded as
-- having seen it (shown_at 0): they need no tour.

-- +goose Up
CREATE TABLE home_tours (
    team_id  TEXT   NOT NULL,
    user_id  TEXT   NOT NULL,
    shown_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
INSERT INTO home_tours (team_id, user_id, shown_at) SELECT team_id, user_id, 0 FROM home_views;

-- +goose Down
DROP TABLE home_tours;
