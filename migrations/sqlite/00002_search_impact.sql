-- Search covers the impact too: rebuild the index with it.

-- +goose Up
DROP TRIGGER decisions_fts_delete;
DROP TRIGGER decisions_fts_update;
DROP TRIGGER decisions_fts_insert;
DROP TABLE decisions_fts;

CREATE VIRTUAL TABLE decisions_fts USING fts5(
    title, text, rationale, impact,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO decisions_fts (rowid, title, text, rationale, impact)
    SELECT id, title, text, rationale, impact FROM decisions;

-- +goose StatementBegin
CREATE TRIGGER decisions_fts_insert AFTER INSERT ON decisions BEGIN
    INSERT INTO decisions_fts (rowid, title, text, rationale, impact)
    VALUES (new.id, new.title, new.text, new.rationale, new.impact);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER decisions_fts_update AFTER UPDATE OF title, text, rationale, impact ON decisions BEGIN
    DELETE FROM decisions_fts WHERE rowid = old.id;
    INSERT INTO decisions_fts (rowid, title, text, rationale, impact)
    VALUES (new.id, new.title, new.text, new.rationale, new.impact);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER decisions_fts_delete AFTER DELETE ON decisions BEGIN
    DELETE FROM decisions_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose Down
SELECT 1;
