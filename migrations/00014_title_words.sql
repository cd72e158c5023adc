-- "Did we already decide this?" looks titles up by their words, in an
-- index of its own: a row per distinct word of each decision's title (as
-- rituals.TitleWords splits it), with how many words that title has, read
-- newest first for each word through the primary key. The lookup then
-- reads as many rows at a million decisions as at a thousand, however
-- many titles share a word; full-text search ranked or rechecked every
-- title holding one.
--
-- decisions.title_words is how many words the indexed title has, -1
-- until it is indexed: storage indexes older decisions when it migrates,
-- a batch at a time, and keeps both in step in every write's transaction.

-- +goose Up
CREATE TABLE decision_title_words (
    team_id TEXT    NOT NULL,
    word    TEXT    NOT NULL,
    number  BIGINT  NOT NULL,
    words   INTEGER NOT NULL,
    PRIMARY KEY (team_id, word, number)
);
ALTER TABLE decisions ADD COLUMN title_words INTEGER NOT NULL DEFAULT -1;
CREATE INDEX decisions_title_words_pending ON decisions (team_id, number) WHERE title_words = -1;

-- +goose Down
DROP INDEX decisions_title_words_pending;
ALTER TABLE decisions DROP COLUMN title_words;
DROP TABLE decision_title_words;
