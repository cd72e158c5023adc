-- Anonymous pulse answers, stored so that nothing ties them to people:
-- not the row an answer is in, its transaction, its order or its time.
--
-- pulse_group_keys holds the public key of each group of an anonymous
-- pulse's audience (the whole audience, role ''; and each role): answers
-- are sealed to it, and its private key exists only as shares in the
-- group's DMs, any threshold of which rebuild it (see rituals/pulse_seal.go).
-- pulse_ballot_boxes holds a group's sealed answers: one row per box, its
-- ballots a JSON object in key order (keys are hashes of random tokens),
-- rewritten whole by every answer, in a transaction of its own. At close
-- each group whose answers reach the threshold is counted into
-- pulse_tallies (or, for free text, pulse_texts, in text order) and the
-- boxes are emptied: a group below the threshold leaves nothing.
-- Pulses that are not anonymous keep each answer with its person, in
-- pulse_audience.answer.
--
-- The old pulse_answers rows are moved here: closed pulses keep only the
-- counts of groups that reached their threshold; answers to open pulses
-- go into a box of their own (migrations/*/00003_pulse_ballots.sql, which
-- then drops pulse_answers).

-- +goose Up
CREATE TABLE pulse_group_keys (
    team_id    TEXT   NOT NULL,
    pulse      BIGINT NOT NULL,
    role       TEXT   NOT NULL,
    public_key TEXT   NOT NULL,
    PRIMARY KEY (team_id, pulse, role),
    FOREIGN KEY (team_id, pulse) REFERENCES pulses (team_id, number)
);

CREATE TABLE pulse_ballot_boxes (
    team_id TEXT    NOT NULL,
    pulse   BIGINT  NOT NULL,
    role    TEXT    NOT NULL,
    box     INTEGER NOT NULL,
    ballots TEXT    NOT NULL DEFAULT '{}',
    PRIMARY KEY (team_id, pulse, role, box),
    FOREIGN KEY (team_id, pulse) REFERENCES pulses (team_id, number)
);

CREATE TABLE pulse_tallies (
    team_id TEXT    NOT NULL,
    pulse   BIGINT  NOT NULL,
    role    TEXT    NOT NULL,
    choice  TEXT    NOT NULL,
    answers INTEGER NOT NULL,
    PRIMARY KEY (team_id, pulse, role, choice),
    FOREIGN KEY (team_id, pulse) REFERENCES pulses (team_id, number)
);

CREATE TABLE pulse_texts (
    team_id  TEXT    NOT NULL,
    pulse    BIGINT  NOT NULL,
    position INTEGER NOT NULL,
    text     TEXT    NOT NULL,
    PRIMARY KEY (team_id, pulse, position),
    FOREIGN KEY (team_id, pulse) REFERENCES pulses (team_id, number)
);

ALTER TABLE pulse_audience ADD COLUMN answer TEXT NOT NULL DEFAULT '';

UPDATE pulse_audience SET answer = COALESCE((SELECT a.value FROM pulse_answers a
    WHERE a.team_id = pulse_audience.team_id AND a.pulse = pulse_audience.pulse AND a.answer_key = pulse_audience.answer_key), '')
WHERE answer_key <> '';

INSERT INTO pulse_tallies (team_id, pulse, role, choice, answers)
SELECT a.team_id, a.pulse, '', a.value, COUNT(*)
FROM pulse_answers a JOIN pulses p ON p.team_id = a.team_id AND p.number = a.pulse
WHERE p.status = 'closed' AND p.anonymous AND p.kind <> 'text'
    AND (SELECT COUNT(*) FROM pulse_answers b WHERE b.team_id = a.team_id AND b.pulse = a.pulse) >= p.threshold
GROUP BY a.team_id, a.pulse, a.value;

INSERT INTO pulse_tallies (team_id, pulse, role, choice, answers)
SELECT a.team_id, a.pulse, a.role, a.value, COUNT(*)
FROM pulse_answers a JOIN pulses p ON p.team_id = a.team_id AND p.number = a.pulse
WHERE p.status = 'closed' AND p.anonymous AND p.kind <> 'text' AND a.role <> ''
    AND (SELECT COUNT(*) FROM pulse_answers b WHERE b.team_id = a.team_id AND b.pulse = a.pulse AND b.role = a.role) >= p.threshold
GROUP BY a.team_id, a.pulse, a.role, a.value;

INSERT INTO pulse_texts (team_id, pulse, position, text)
SELECT a.team_id, a.pulse, ROW_NUMBER() OVER (PARTITION BY a.team_id, a.pulse ORDER BY a.value, a.answer_key), a.value
FROM pulse_answers a JOIN pulses p ON p.team_id = a.team_id AND p.number = a.pulse
WHERE p.status = 'closed' AND p.anonymous AND p.kind = 'text'
    AND (SELECT COUNT(*) FROM pulse_answers b WHERE b.team_id = a.team_id AND b.pulse = a.pulse) >= p.threshold;

DELETE FROM pulse_answers WHERE NOT EXISTS (SELECT 1 FROM pulses p
    WHERE p.team_id = pulse_answers.team_id AND p.number = pulse_answers.pulse AND p.status = 'open' AND p.anonymous);

ALTER TABLE pulse_audience DROP COLUMN answer_key;

-- +goose Down
ALTER TABLE pulse_audience ADD COLUMN answer_key TEXT NOT NULL DEFAULT '';
ALTER TABLE pulse_audience DROP COLUMN answer;
DROP TABLE pulse_texts;
DROP TABLE pulse_tallies;
DROP TABLE pulse_ballot_boxes;
DROP TABLE pulse_group_keys;
