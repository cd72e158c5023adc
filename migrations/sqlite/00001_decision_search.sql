-- Full-text search over decisions with SQLite's FTS5. The index holds no
-- copy of the text: its rowid is decisions.id, and triggers keep it in step.

-- +goose Up
CREATE VIRTUAL TABLE decisions_fts USING fts5(
    title, text, rationale,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER decisions_fts_insert AFTER INSERT ON decisions BEGIN
    INSERT INTO decisions_fts (rowid, title, text, rationale)
    VALUES (new.id, new.title, new.text, new.rationale);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER decisions_fts_update AFTER UPDATE OF title, text, rationale ON decisions BEGIN
    DELETE FROM decisions_fts WHERE rowid = old.id;
    INSERT INTO decisions_fts (rowid, title, text, rationale)
    VALUES (new.id, new.title, new.text, new.rationale);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER decisions_fts_delete AFTER DELETE ON decisions BEGIN
    DELETE FROM decisions_fts WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER decisions_fts_delete;
DROP TRIGGER decisions_fts_update;
DROP TRIGGER decisions_fts_insert;
DROP TABLE decisions_fts;
