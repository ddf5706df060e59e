// The store's schema as GRDB migrations. Tables are private (`run`, `step_metric`, ...); the documented
// interface for SQL is the views (`runs`, `metrics`, `evaluations`, `final_metrics`, `tags`, `models`,
// `databases`), described column by column in docs/experiments.md. A migration is never edited once
// released: a change is a new migration appended at the end.
import GRDB

enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-tables") { db in try createTables(db) }
    migrator.registerMigration("v1-views") { db in try createViews(db) }
    return migrator
  }

  private static func createTables(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE TABLE run (
          id TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL,
          kind TEXT NOT NULL,
          status TEXT NOT NULL,
          started_at TEXT NOT NULL,
          ended_at TEXT,
          heartbeat_unix REAL NOT NULL,
          host TEXT NOT NULL,
          pid INTEGER NOT NULL,
          pid_start TEXT,
          config TEXT NOT NULL,
          tool_version TEXT NOT NULL,
          git_commit TEXT,
          databases TEXT NOT NULL,
          tasks TEXT NOT NULL,
          hardware TEXT NOT NULL,
          checkpoint TEXT,
          outputs TEXT NOT NULL,
          failure TEXT
        );
        CREATE INDEX run_status ON run(status);
        CREATE TABLE run_tag (
          run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          tag TEXT NOT NULL,
          PRIMARY KEY (run_id, tag)
        );
        CREATE TABLE step_metric (
          run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          name TEXT NOT NULL,
          value REAL,
          recorded_at TEXT NOT NULL
        );
        CREATE INDEX step_metric_run ON step_metric(run_id, name, step);
        CREATE TABLE evaluation_metric (
          run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          step INTEGER,
          split TEXT NOT NULL,
          name TEXT NOT NULL,
          value REAL,
          recorded_at TEXT NOT NULL
        );
        CREATE INDEX evaluation_metric_run ON evaluation_metric(run_id, split, name);
        CREATE TABLE final_metric (
          run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          value REAL,
          PRIMARY KEY (run_id, name)
        );
        CREATE TABLE model (
          name TEXT PRIMARY KEY NOT NULL,
          kind TEXT NOT NULL,
          path TEXT NOT NULL,
          format TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          parameters INTEGER,
          databases TEXT NOT NULL,
          run_id TEXT REFERENCES run(id) ON DELETE SET NULL,
          registered_at TEXT NOT NULL
        );
        CREATE TABLE database (
          path TEXT PRIMARY KEY NOT NULL,
          name TEXT NOT NULL,
          kind TEXT NOT NULL,
          source TEXT,
          source_fingerprint TEXT,
          registered_at TEXT NOT NULL
        );
        """)
  }

  private static func createViews(_ db: Database) throws {
    try db.execute(
      sql: """
        CREATE VIEW runs AS
        SELECT r.id AS run_id, r.name, r.kind, r.status, r.started_at, r.ended_at,
          ROUND((julianday(r.ended_at) - julianday(r.started_at)) * 86400.0, 3) AS duration_s,
          r.host, r.pid, r.tool_version, r.git_commit, r.config, r.databases, r.tasks, r.hardware,
          json_extract(r.hardware, '$.cpu_model') AS cpu_model,
          json_extract(r.hardware, '$.threads') AS threads,
          json_extract(r.hardware, '$.gpu') AS gpu,
          r.checkpoint, r.outputs, r.failure,
          (SELECT group_concat(tag, ',') FROM (SELECT tag FROM run_tag t WHERE t.run_id = r.id ORDER BY tag))
            AS tags,
          (SELECT json_group_object(f.name, f.value) FROM final_metric f WHERE f.run_id = r.id)
            AS final_metrics
        FROM run r;
        CREATE VIEW metrics AS
        SELECT m.run_id, r.name AS run_name, m.step, m.name AS metric, m.value, m.recorded_at
        FROM step_metric m JOIN run r ON r.id = m.run_id;
        CREATE VIEW evaluations AS
        SELECT e.run_id, r.name AS run_name, e.step, e.split, e.name AS metric, e.value, e.recorded_at
        FROM evaluation_metric e JOIN run r ON r.id = e.run_id;
        CREATE VIEW final_metrics AS
        SELECT f.run_id, r.name AS run_name, f.name AS metric, f.value
        FROM final_metric f JOIN run r ON r.id = f.run_id;
        CREATE VIEW tags AS SELECT run_id, tag FROM run_tag;
        CREATE VIEW models AS
        SELECT name, kind, path, format, size_bytes, parameters, databases, run_id, registered_at FROM model;
        CREATE VIEW databases AS
        SELECT name, kind, path, source, registered_at FROM database;
        """)
  }
}
