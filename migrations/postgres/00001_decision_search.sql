-- Full-text search over decisions with PostgreSQL's own: a weighted
-- tsvector (title first) kept by the store on every write, with a GIN
-- index. The store folds diacritics before indexing and querying.

-- +goose Up
ALTER TABLE decisions ADD COLUMN search tsvector;
CREATE INDEX decisions_search ON decisions USING GIN (search);

-- +goose Down
DROP INDEX decisions_search;
ALTER TABLE decisions DROP COLUMN search;
