// The SQLite queue's tables as GRDB migrations. A migration is never edited once released: a change is a new
// migration appended at the end.
import GRDB

enum SQLiteSchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-queue") { db in
      try db.execute(
        sql: """
          CREATE TABLE job (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            spec TEXT NOT NULL,
            state TEXT NOT NULL,
            priority INTEGER NOT NULL,
            total_items INTEGER NOT NULL,
            chunk_count INTEGER NOT NULL,
            submitted_at REAL NOT NULL,
            started_at REAL,
            finished_at REAL,
            output_path TEXT NOT NULL,
            error TEXT
          );
          CREATE INDEX job_state ON job(state, priority, submitted_at);
          CREATE TABLE chunk (
            job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            phase TEXT NOT NULL,
            first_item INTEGER NOT NULL,
            item_count INTEGER NOT NULL,
            state TEXT NOT NULL,
            lease_owner TEXT,
            lease_token TEXT,
            lease_expires REAL,
            attempts INTEGER NOT NULL DEFAULT 0,
            finished_at REAL,
            PRIMARY KEY (job_id, idx)
          );
          CREATE INDEX chunk_ready ON chunk(state, job_id, idx);
          """)
    }
    return migrator
  }
}
