#!/usr/bin/env python3
"""Writes the Importer test fixtures under Tests/ImporterTests/Fixtures/ (deterministic, ~100 KB):

- shop/: a small database as Parquet files without metadata.json, and shop.expected.json, the annotation a careful
  person would write for it (written here by hand, not by Tributary): single and composite primary keys, a composite
  foreign key, a self-reference, dangling links, an event table with no key, every semantic type.
- broken/: Parquet files with a metadata.json that has several problems (a string annotated Numerical, a listed
  column missing from the file, a duplicate primary key, dangling links, a task on a missing file); broken.expected
  lists what `validate` must report.
- csv/: CSV files with quoting, embedded newlines, nulls, dates, timestamps, booleans and late values that force a
  wider type; csv.expected.json: each column's type and values as Python's csv module reads them.
- shop.sqlite: a SQLite database with declared primary and foreign keys (one composite), common column types,
  nulls and a table without constraints; shop.sqlite.expected.json: its rows as Python's sqlite3 reads them.

Usage: python3 tools/make_importer_fixtures.py   (needs pyarrow)
"""
import csv
import datetime as dt
import io
import json
import os
import random
import shutil
import sqlite3

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ImporterTests", "Fixtures")
COUNTRIES = ["France", "Japan", "Brazil", "Kenya", "Canada"]
CATEGORIES = ["books", "garden", "toys", "music"]
FIRST = ["Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken", "Leslie", "Niklaus"]
LAST = ["Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlman", "Thompson"]
BASE = dt.datetime(2024, 1, 1)


def ts(values):
    return pa.array(values, type=pa.timestamp("us"))


def write(table, directory, name):
    os.makedirs(directory, exist_ok=True)
    pq.write_table(pa.table(table), os.path.join(directory, name + ".parquet"), compression="zstd")


def shop_tables(rng):
    customers = {
        "customer_id": list(range(1, 41)),
        "name": [f"{FIRST[i % 12]} {LAST[(i * 7) % 10]} {i}" for i in range(40)],
        "country": [COUNTRIES[rng.randrange(5)] for _ in range(40)],
        "signup_at": ts([BASE + dt.timedelta(days=i) for i in range(40)]),
    }
    products = {
        "product_id": list(range(100, 130)),
        "title": [f"The {FIRST[i % 12]} guide to {LAST[i % 10].lower()} volume {i}" for i in range(30)],
        "category": [CATEGORIES[i % 4] for i in range(30)],
        "price": [round(rng.uniform(2, 90), 2) for _ in range(30)],
    }
    orders = {"order_id": [], "customer_id": [], "ordered_at": [], "status": [], "amount": [], "is_gift": []}
    lines = {"order_id": [], "line_number": [], "product_id": [], "quantity": []}
    for order in range(1, 121):
        orders["order_id"].append(1000 + order)
        orders["customer_id"].append(rng.randrange(1, 41))
        orders["ordered_at"].append(BASE + dt.timedelta(days=40 + order // 3, hours=order % 24))
        orders["status"].append(rng.choice(["paid", "shipped", "returned"]))
        orders["amount"].append(round(rng.uniform(5, 300), 2))
        orders["is_gift"].append(rng.random() < 0.2)
        for line in range(1, rng.randrange(2, 5)):
            lines["order_id"].append(1000 + order)
            lines["line_number"].append(line)
            lines["product_id"].append(rng.randrange(100, 130))
            lines["quantity"].append(rng.randrange(1, 6))
    shipments = {"shipment_id": [], "order_id": [], "line_number": [], "carrier": [], "shipped_at": []}
    for index in range(0, len(lines["order_id"]), 2):
        shipments["shipment_id"].append(f"S{index:05d}")
        shipments["order_id"].append(lines["order_id"][index])
        shipments["line_number"].append(lines["line_number"][index])
        shipments["carrier"].append(rng.choice(["UPS", "DHL", "FedEx"]))
        shipments["shipped_at"].append(BASE + dt.timedelta(days=80 + index // 4))
    views = {"customer_id": [], "page": [], "viewed_at": []}
    for index in range(300):
        views["customer_id"].append(rng.randrange(1, 46))  # 41..45 dangle
        views["page"].append(rng.choice(["/home", "/cart", "/search", "/help"]))
        views["viewed_at"].append(BASE + dt.timedelta(days=40 + index // 10, hours=index % 3))
    for key in views:  # a duplicated event: the log has no key
        views[key].append(views[key][0])
    orders["ordered_at"] = ts(orders["ordered_at"])
    shipments["shipped_at"] = ts(shipments["shipped_at"])
    views["viewed_at"] = ts(views["viewed_at"])
    return {"customers": customers, "products": products, "orders": orders, "order_lines": lines,
            "shipments": shipments, "page_views": views}


def col(name, kind, **extra):
    return {"name": name, "type": kind, **extra}


SHOP_EXPECTED = {
    "format": 1, "name": "shop",
    "tables": [
        {"name": "customers", "primary_key": ["customer_id"], "time_column": "signup_at",
         "columns": [col("customer_id", "Identifier"), col("name", "Text"), col("country", "Categorical"),
                     col("signup_at", "Timestamp")]},
        {"name": "order_lines", "primary_key": ["order_id", "line_number"],
         "foreign_keys": [
             {"columns": ["order_id"], "references": {"table": "orders", "columns": ["order_id"]}},
             {"columns": ["product_id"], "references": {"table": "products", "columns": ["product_id"]}}],
         "columns": [col("order_id", "Identifier"), col("line_number", "Numerical"), col("product_id", "Identifier"),
                     col("quantity", "Numerical")]},
        {"name": "orders", "primary_key": ["order_id"], "time_column": "ordered_at",
         "foreign_keys": [{"columns": ["customer_id"], "references": {"table": "customers", "columns": ["customer_id"]}}],
         "columns": [col("order_id", "Identifier"), col("customer_id", "Identifier"), col("ordered_at", "Timestamp"),
                     col("status", "Categorical"), col("amount", "Numerical"), col("is_gift", "Boolean")]},
        {"name": "page_views", "time_column": "viewed_at",
         "foreign_keys": [{"columns": ["customer_id"], "references": {"table": "customers", "columns": ["customer_id"]}}],
         "columns": [col("customer_id", "Identifier"), col("page", "Categorical"), col("viewed_at", "Timestamp")]},
        {"name": "products", "primary_key": ["product_id"],
         "columns": [col("product_id", "Identifier"), col("title", "Text"), col("category", "Categorical"),
                     col("price", "Numerical")]},
        {"name": "shipments", "primary_key": ["shipment_id"], "time_column": "shipped_at",
         # order_id -> orders is also true, though implied by the composite key (TPC-H's annotation omits such keys).
         "foreign_keys": [{"columns": ["order_id"], "references": {"table": "orders", "columns": ["order_id"]}},
                          {"columns": ["order_id", "line_number"],
                           "references": {"table": "order_lines", "columns": ["order_id", "line_number"]}}],
         "columns": [col("shipment_id", "Identifier"), col("order_id", "Identifier"),
                     col("line_number", "Identifier"), col("carrier", "Categorical"), col("shipped_at", "Timestamp")]},
    ],
}


def make_shop(rng):
    directory = os.path.join(ROOT, "shop")
    shutil.rmtree(directory, ignore_errors=True)
    for name, table in shop_tables(rng).items():
        write(table, directory, name)
    with open(os.path.join(ROOT, "shop.expected.json"), "w") as f:
        json.dump(SHOP_EXPECTED, f, indent=1)
        f.write("\n")


def make_broken():
    directory = os.path.join(ROOT, "broken")
    shutil.rmtree(directory, ignore_errors=True)
    write({"team_id": [1, 2, 2, 3], "city": ["Oslo", "Lima", "Pune", "Baku"]}, directory, "teams")
    write({"league_id": [1, 2], "title": ["North", "South"]}, directory, "leagues")
    write({"player_id": [10, 11, 12], "team_id": [1, 3, 9], "league_id": [1, 2, 7],
           "height": ["tall", "short", "tall"], "joined": ts([BASE, BASE, BASE])}, directory, "players")
    meta = {
        "format": 1, "name": "broken",
        "tables": [
            {"name": "teams", "primary_key": ["team_id"],
             "columns": [col("team_id", "Identifier"), col("city", "Categorical"), col("founded", "Numerical")]},
            {"name": "leagues", "primary_key": ["league_id"],
             "columns": [col("league_id", "Identifier"), col("title", "Text")]},
            {"name": "players", "primary_key": ["player_id"], "time_column": "joined",
             "foreign_keys": [{"columns": ["team_id"], "references": {"table": "teams", "columns": ["team_id"]}},
                              {"columns": ["league_id"], "references": {"table": "leagues", "columns": ["league_id"]}}],
             "columns": [col("player_id", "Identifier"), col("team_id", "Identifier"), col("league_id", "Identifier"),
                         col("height", "Numerical"), col("joined", "Timestamp")]},
        ],
        "tasks": [{"name": "churn", "file": "tasks/churn.parquet", "entity_table": "players",
                   "entity_columns": ["player_id"], "time_column": "timestamp", "target": "left", "type": "Boolean",
                   "split": {"validation_start": "2024-06-01", "test_start": "2024-09-01"}}],
    }
    with open(os.path.join(directory, "metadata.json"), "w") as f:
        json.dump(meta, f, indent=1)
    # What validate must say, one fragment per line (each must appear in some reported problem).
    with open(os.path.join(ROOT, "broken.expected"), "w") as f:
        f.write("error|teams|'founded'\nerror|players|'height'|Numerical\nerror|teams|rows 1 and 2\n"
                "warning|players|(league_id) -> leagues|1 dangling|row 2\nerror|churn|tasks/churn.parquet\n")


CSV_PEOPLE = [
    ["id", "name", "height", "born", "member", "joined_at", "score", "code"],
    ["1", "Ada, Countess", "1.65", "1815-12-10", "true", "2024-01-01T10:00:00", "7", "12"],
    ["2", 'Alan "the" Turing', "1.78", "1912-06-23", "false", "2024-01-02 11:30:00.250", "8", "13"],
    ["3", "Grace\nHopper", "", "1906-12-09", "TRUE", "2024-01-03T12:00:00Z", "", "14"],
    ["4", "", "1.70", "", "", "", "9", "15"],
    ["5", "Edsger", "1.80", "1930-05-11", "False", "2024-01-05T00:00:00", "3.5", "n/a"],
]
CSV_EXPECTED_TYPES = {"id": "integer", "name": "string", "height": "float", "born": "date", "member": "boolean",
                      "joined_at": "timestamp", "score": "float", "code": "string"}


def make_csv():
    directory = os.path.join(ROOT, "csv")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    with open(os.path.join(directory, "people.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(CSV_PEOPLE)
    with open(os.path.join(directory, "visits.csv"), "w", newline="") as f:
        f.write("person_id,visited_on\n1,2024-02-01\n1,2024-02-03\n3,2024-02-04\n5,2024-02-09\n")
    with open(os.path.join(directory, "people.csv"), newline="") as f:
        rows = list(csv.reader(f))
    expected = {"people": {"types": CSV_EXPECTED_TYPES,
                           "columns": {name: [r[i] if r[i] != "" else None for r in rows[1:]]
                                       for i, name in enumerate(rows[0])}},
                "visits": {"types": {"person_id": "integer", "visited_on": "date"}}}
    with open(os.path.join(ROOT, "csv.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


SQLITE_SCHEMA = """
CREATE TABLE authors (author_id INTEGER PRIMARY KEY, name TEXT NOT NULL, born DATE, rating REAL, active BOOLEAN);
CREATE TABLE books (book_id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(author_id), title TEXT,
  price NUMERIC, published TIMESTAMP, pages INTEGER);
CREATE TABLE editions (book_id INTEGER NOT NULL REFERENCES books(book_id), edition INTEGER NOT NULL, isbn TEXT,
  PRIMARY KEY (book_id, edition));
CREATE TABLE reviews (review_id INTEGER PRIMARY KEY, book_id INTEGER, edition INTEGER, stars INTEGER, body TEXT,
  FOREIGN KEY (book_id, edition) REFERENCES editions(book_id, edition));
CREATE TABLE loose (who TEXT, what TEXT, amount REAL);
"""


def make_sqlite():
    path = os.path.join(ROOT, "shop.sqlite")
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript(SQLITE_SCHEMA)
    db.executemany("INSERT INTO authors VALUES (?,?,?,?,?)", [
        (1, "Ursula", "1929-10-21", 4.8, 1), (2, "Italo", "1923-10-15", None, 0), (3, "Octavia", None, 4.5, 1)])
    db.executemany("INSERT INTO books VALUES (?,?,?,?,?,?)", [
        (10, 1, "The Dispossessed", 12.5, "1974-05-01 00:00:00", 387),
        (11, 2, "Invisible Cities", 9.99, "1972-11-01 08:30:00", None),
        (12, 3, "Kindred", None, None, 264), (13, None, "Anonymous", 3, "2001-01-01 00:00:00", 10)])
    db.executemany("INSERT INTO editions VALUES (?,?,?)", [(10, 1, "A1"), (10, 2, "A2"), (11, 1, None), (12, 1, "C1")])
    db.executemany("INSERT INTO reviews VALUES (?,?,?,?,?)", [
        (100, 10, 1, 5, "Anarchist utopia, ambiguous."), (101, 10, 2, 4, None), (102, 12, 1, 5, "Unforgettable")])
    db.executemany("INSERT INTO loose VALUES (?,?,?)", [("a", "x", 1.5), ("b", None, None)])
    db.commit()
    expected = {}
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"):
        cursor = db.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        expected[table] = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    db.close()
    with open(os.path.join(ROOT, "shop.sqlite.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


POSTGRES_SQL = """-- Loaded by ImporterTests into a PostgreSQL server the test starts (see PostgresTests.swift).
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
"""

# Tables outside the public schema.
POSTGRES_SCHEMAS = {"ledger": "wide"}

POSTGRES_ROWS = {
    "teams": [
        (1, "Lions", "1901-04-05", "1250000.50", True, 4.5, "LN", "{a,b}", '{"k": 1}', "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        (2, "Tigers, \"the\"", None, "-3.25", False, None, None, None, None, None),
        (3, "Line\nbreak", "2020-02-29", None, None, 0.25, "X", "{}", "[]", None),
    ],
    "players": [
        (10, 1, "Ann", "2024-01-01 10:00:00", "2024-01-01 10:00:00+02", 1.81, 7, "12.5"),
        (11, 1, None, "2024-01-02 00:00:00.123456", None, None, None, "-0.1"),
        (12, 2, "Bo", None, "1999-12-31 23:59:59.5+00", 1.7, -3, None),
        (13, None, "Cy", "1970-01-01 00:00:00", "1970-01-01 00:00:00+00", 2.0, 32767, "-999.9"),
    ],
    "seasons": [(1, 2023, 10), (1, 2024, 12), (2, 2024, 3)],
    "awards": [(1, 1, 2023, "Cup"), (2, 1, 2024, None), (3, 2, 2024, "Shield")],
    "Event Log": [("x", "2024-03-01 00:00:00+00", "1.5"), ("y", None, None)],
    # Decimals in their canonical text (exactly `scale` fraction digits), as PostgreSQL and pyarrow print them.
    "ledger": [
        (1, "12345678901234567890123456789012.123456", "-99999999999999999999", "0.500", "9999999999999999.99",
         "3.14159265358979323846264338327950288"),
        (2, "-0.000001", "1", "-0.999", "-0.01", "-1e-20"),
        (3, None, None, None, None, None),
        (4, "-12345678901234567890123456789012.123456", "99999999999999999999", "0.001", "0.00", "123456789012"),
    ],
}


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "E'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def make_postgres():
    lines = [POSTGRES_SQL]
    for table, rows in POSTGRES_ROWS.items():
        for row in rows:
            schema = POSTGRES_SCHEMAS.get(table, "public")
            lines.append(f'INSERT INTO {schema}."{table}" VALUES ({", ".join(sql_literal(v) for v in row)});')
    with open(os.path.join(ROOT, "postgres.sql"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(ROOT, "postgres.expected.json"), "w") as f:
        json.dump(POSTGRES_ROWS, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    make_postgres()
    make_shop(random.Random(7))
    make_broken()
    make_csv()
    make_sqlite()
    print("wrote", os.path.normpath(ROOT))
