-- "Did we already decide this?" compares titles alone. Matched against
-- the weighted search vector, every decision holding the words anywhere
-- (title, decision, rationale, impact) was rechecked for their weight;
-- titles get a full-text index of their own.
--
-- Both full-text indexes write through (fastupdate off): with GIN's
-- pending list, every search first read up to 4 MB of entries not yet
-- merged, 4 ms each time whatever it asked (BENCHMARKS.md).

-- +goose Up
CREATE INDEX decisions_title_search ON decisions USING GIN (to_tsvector('english', title)) WITH (fastupdate = off);
ALTER INDEX decisions_search SET (fastupdate = off);

-- +goose Down
ALTER INDEX decisions_search RESET (fastupdate);
DROP INDEX decisions_title_search;
