-- Loaded by ImporterTests into a PostgreSQL server the test starts (see PostgresTests.swift).
CREATE TABLE teams (team_id integer PRIMARY KEY, name text NOT NULL, founded date, budget numeric(12, 2),
  active boolean, rating real, code varchar(8), tags text[], payload jsonb, uid uuid);
CREATE TABLE players (player_id bigint PRIMARY KEY, team_id integer REFERENCES teams(team_id), name text,
  joined timestamp, last_seen timestamptz, height double precision, number smallint, form numeric(4, 1));
CREATE TABLE seasons (team_id integer REFERENCES teams(team_id), year integer, wins integer,
  PRIMARY KEY (team_id, year));
CREATE TABLE awards (award_id serial PRIMARY KEY, team_id integer, year integer, title text,
  FOREIGN KEY (team_id, year) REFERENCES seasons(team_id, year));
CREATE TABLE "Event Log" (who text, happened timestamptz, amount numeric);
-- Imported on its own (schema option): decimals of every physical width, and one too wide for preprocess today.
CREATE SCHEMA wide;
CREATE TABLE wide.ledger (entry_id integer PRIMARY KEY, big numeric(38, 6), whole numeric(20, 0),
  tiny numeric(3, 3), cents numeric(18, 2), loose numeric);

INSERT INTO public."teams" VALUES (1, E'Lions', E'1901-04-05', E'1250000.50', TRUE, 4.5, E'LN', E'{a,b}', E'{"k": 1}', E'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
INSERT INTO public."teams" VALUES (2, E'Tigers, "the"', NULL, E'-3.25', FALSE, NULL, NULL, NULL, NULL, NULL);
INSERT INTO public."teams" VALUES (3, E'Line\nbreak', E'2020-02-29', NULL, NULL, 0.25, E'X', E'{}', E'[]', NULL);
INSERT INTO public."players" VALUES (10, 1, E'Ann', E'2024-01-01 10:00:00', E'2024-01-01 10:00:00+02', 1.81, 7, E'12.5');
INSERT INTO public."players" VALUES (11, 1, NULL, E'2024-01-02 00:00:00.123456', NULL, NULL, NULL, E'-0.1');
INSERT INTO public."players" VALUES (12, 2, E'Bo', NULL, E'1999-12-31 23:59:59.5+00', 1.7, -3, NULL);
INSERT INTO public."players" VALUES (13, NULL, E'Cy', E'1970-01-01 00:00:00', E'1970-01-01 00:00:00+00', 2.0, 32767, E'-999.9');
INSERT INTO public."seasons" VALUES (1, 2023, 10);
INSERT INTO public."seasons" VALUES (1, 2024, 12);
INSERT INTO public."seasons" VALUES (2, 2024, 3);
INSERT INTO public."awards" VALUES (1, 1, 2023, E'Cup');
INSERT INTO public."awards" VALUES (2, 1, 2024, NULL);
INSERT INTO public."awards" VALUES (3, 2, 2024, E'Shield');
INSERT INTO public."Event Log" VALUES (E'x', E'2024-03-01 00:00:00+00', E'1.5');
INSERT INTO public."Event Log" VALUES (E'y', NULL, NULL);
INSERT INTO wide."ledger" VALUES (1, E'12345678901234567890123456789012.123456', E'-99999999999999999999', E'0.500', E'9999999999999999.99', E'3.14159265358979323846264338327950288');
INSERT INTO wide."ledger" VALUES (2, E'-0.000001', E'1', E'-0.999', E'-0.01', E'-1e-20');
INSERT INTO wide."ledger" VALUES (3, NULL, NULL, NULL, NULL, NULL);
INSERT INTO wide."ledger" VALUES (4, E'-12345678901234567890123456789012.123456', E'99999999999999999999', E'0.001', E'0.00', E'123456789012');
