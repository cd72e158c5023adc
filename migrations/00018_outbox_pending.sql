-- The sender claims the pending items in the order they go, interactive
-- ones first, and stops once it has enough: an index in that order lets
-- it walk there instead of sorting the whole backlog at every claim.

-- +goose Up
CREATE INDEX outbox_pending ON outbox (interactive DESC, id) WHERE state = 'pending';

-- +goose Down
DROP INDEX outbox_pending;
