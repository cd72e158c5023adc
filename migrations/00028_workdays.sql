-- Working days: reminders and escalations wait for the person's working
-- days as they wait for working hours. channel_workdays holds the days a
-- channel set (/alignbot workdays), bit d for weekday d (Sunday = 0); a
-- channel without a row keeps Monday to Friday. An outbox item's origin
-- is the channel of the item it reminds of, whose days it waits for;
-- held marks an escalation, which waits as a reminder does but is never
-- folded by the weekly cap.

-- +goose Up
CREATE TABLE channel_workdays (
    team_id    TEXT    NOT NULL,
    channel_id TEXT    NOT NULL,
    days       INTEGER NOT NULL,
    updated_by TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (team_id, channel_id)
);
ALTER TABLE outbox ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN held BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE outbox DROP COLUMN held;
ALTER TABLE outbox DROP COLUMN origin;
DROP TABLE channel_workdays;
