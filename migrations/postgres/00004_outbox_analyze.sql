-- The sender's claim walks the pending outbox in the order items go and
-- stops once it has enough, but PostgreSQL plans that walk only once it
-- knows the table is large: with the statistics of an empty outbox it
-- sorts the whole backlog at every claim (30 ms with 10,000 waiting).
-- The outbox fills in bursts (a pulse, a busy channel): have autovacuum
-- analyze it after 500 changes, not after a tenth of the table.

-- +goose Up
ALTER TABLE outbox SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 500);

-- +goose Down
ALTER TABLE outbox RESET (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
