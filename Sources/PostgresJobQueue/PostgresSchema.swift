// The PostgreSQL queue's tables (created if missing, under an advisory lock) and shared SQL fragments.
enum PostgresSchema {
  /// Unix seconds by the database's clock.
  static let now = "extract(epoch FROM clock_timestamp())::double precision"

  static let statements = [
    """
    CREATE TABLE IF NOT EXISTS job (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      spec TEXT NOT NULL,
      state TEXT NOT NULL,
      priority INTEGER NOT NULL,
      total_items BIGINT NOT NULL,
      chunk_count BIGINT NOT NULL,
      submitted_at DOUBLE PRECISION NOT NULL,
      started_at DOUBLE PRECISION,
      finished_at DOUBLE PRECISION,
      output_path TEXT NOT NULL,
      error TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS job_state ON job(state, priority, submitted_at)",
    """
    CREATE TABLE IF NOT EXISTS chunk (
      job_id TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
      idx BIGINT NOT NULL,
      phase TEXT NOT NULL,
      first_item BIGINT NOT NULL,
      item_count BIGINT NOT NULL,
      state TEXT NOT NULL,
      lease_owner TEXT,
      lease_token TEXT,
      lease_expires DOUBLE PRECISION,
      attempts BIGINT NOT NULL DEFAULT 0,
      finished_at DOUBLE PRECISION,
      PRIMARY KEY (job_id, idx)
    )
    """,
    "CREATE INDEX IF NOT EXISTS chunk_ready ON chunk(state, job_id, idx)",
  ]

  static let jobSelect = """
    SELECT j.id, j.spec, j.state, j.total_items, j.chunk_count, j.submitted_at, j.started_at, j.finished_at,
      j.output_path, j.error,
      (SELECT COALESCE(SUM(item_count), 0)::bigint FROM chunk c WHERE c.job_id = j.id AND c.phase = 'work'
        AND c.state = 'done') AS done_items,
      (SELECT COUNT(*)::bigint FROM chunk c WHERE c.job_id = j.id AND c.phase = 'work' AND c.state = 'done')
        AS done_chunks
    FROM job j
    """
}
