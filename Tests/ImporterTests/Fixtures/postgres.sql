-- Loaded by ImporterTests into a PostgreSQL server the test starts (see PostgresTests.swift).
CREATE TABLE teams (team_id integer PRIMARY KEY, name text NOT NULL, founded date, budget numeric(12, 2),
  active boolean, rating real, code varchar(8), tags text[], payload jsonb, uid uuid);
CREATE TABLE players (player_id bigint PRIMARY KEY, team_id integer REFERENCES teams(team_id), name text,
  joined timestamp, last_seen timestamptz, height double precision, number smallint);
CREATE TABLE seasons (team_id integer REFERENCES teams(team_id), year integer, wins integer,
  PRIMARY KEY (team_id, year));
CREATE TABLE awards (award_id serial PRIMARY KEY, team_id integer, year integer, title text,
  FOREIGN KEY (team_id, year) REFERENCES seasons(team_id, year));
CREATE TABLE "Event Log" (who text, happened timestamptz, amount numeric);

INSERT INTO "teams" VALUES (1, E'Lions', E'1901-04-05', E'1250000.50', TRUE, 4.5, E'LN', E'{a,b}', E'{"k": 1}', E'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
INSERT INTO "teams" VALUES (2, E'Tigers, "the"', NULL, E'-3.25', FALSE, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "teams" VALUES (3, E'Line\nbreak', E'2020-02-29', NULL, NULL, 0.25, E'X', E'{}', E'[]', NULL);
INSERT INTO "players" VALUES (10, 1, E'Ann', E'2024-01-01 10:00:00', E'2024-01-01 10:00:00+02', 1.81, 7);
INSERT INTO "players" VALUES (11, 1, NULL, E'2024-01-02 00:00:00.123456', NULL, NULL, NULL);
INSERT INTO "players" VALUES (12, 2, E'Bo', NULL, E'1999-12-31 23:59:59.5+00', 1.7, -3);
INSERT INTO "players" VALUES (13, NULL, E'Cy', E'1970-01-01 00:00:00', E'1970-01-01 00:00:00+00', 2.0, 32767);
INSERT INTO "seasons" VALUES (1, 2023, 10);
INSERT INTO "seasons" VALUES (1, 2024, 12);
INSERT INTO "seasons" VALUES (2, 2024, 3);
INSERT INTO "awards" VALUES (1, 1, 2023, E'Cup');
INSERT INTO "awards" VALUES (2, 1, 2024, NULL);
INSERT INTO "awards" VALUES (3, 2, 2024, E'Shield');
INSERT INTO "Event Log" VALUES (E'x', E'2024-03-01 00:00:00+00', E'1.5');
INSERT INTO "Event Log" VALUES (E'y', NULL, NULL);
