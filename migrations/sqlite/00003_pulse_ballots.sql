-- The answers to anonymous pulses still open, moved from pulse_answers
-- into one ballot box each (see ../00011_pulse_ballots.sql). They stay in
-- clear, as they were stored; answers given from now on to pulses sent
-- before are stored the same way, and those pulses keep their old
-- protection. pulse_answers then goes.

-- +goose Up
INSERT INTO pulse_ballot_boxes (team_id, pulse, role, box, ballots)
SELECT p.team_id, p.number, '', 0, COALESCE((SELECT json_group_object(a.answer_key, json_object('v', a.value, 'r', a.role))
    FROM pulse_answers a WHERE a.team_id = p.team_id AND a.pulse = p.number), '{}')
FROM pulses p WHERE p.status = 'open' AND p.anonymous;

DROP TABLE pulse_answers;

-- +goose Down
CREATE TABLE pulse_answers (
    id         INTEGER PRIMARY KEY,
    team_id    TEXT    NOT NULL,
    pulse      BIGINT  NOT NULL,
    answer_key TEXT    NOT NULL,
    role       TEXT    NOT NULL DEFAULT '',
    value      TEXT    NOT NULL,
    UNIQUE (team_id, pulse, answer_key),
    FOREIGN KEY (team_id, pulse) REFERENCES pulses (team_id, number)
);
