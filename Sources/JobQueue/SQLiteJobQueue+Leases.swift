// Claiming, renewing, completing and releasing chunks in the SQLite queue. A chunk is ready when it is pending
// or its lease has expired, its job is queued or running, and (for the assemble chunk) every work chunk of the
// job is done. Ownership is the lease token: an expired holder that wakes up can no longer complete.
import Foundation
import GRDB

extension SQLiteJobQueue {
  static let readyChunk = """
    SELECT c.job_id, c.idx, c.phase, c.first_item, c.item_count, c.attempts
    FROM chunk c JOIN job j ON j.id = c.job_id
    WHERE j.state IN ('queued', 'running')
      AND (c.state = 'pending' OR (c.state = 'leased' AND c.lease_expires < :now))
      AND (c.phase = 'work' OR NOT EXISTS (
        SELECT 1 FROM chunk w WHERE w.job_id = c.job_id AND w.phase = 'work' AND w.state != 'done'))
    ORDER BY j.priority DESC, j.submitted_at, j.id, c.idx
    LIMIT 1
    """

  public func claim(worker: String, leaseSeconds: Double, globalLimit: Int?) async throws -> ChunkLease? {
    let maxAttempts = options.maxAttempts
    return try await transaction { db -> ChunkLease? in
      let now = Self.now
      if let globalLimit {
        let leased =
          try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM chunk WHERE state = 'leased' AND lease_expires >= ?",
            arguments: [now])
          ?? 0
        if leased >= globalLimit { return nil }
      }
      while let row = try Row.fetchOne(db, sql: Self.readyChunk, arguments: ["now": now]) {
        let jobID: String = row["job_id"]
        let index: Int = row["idx"]
        let attempts: Int = row["attempts"]
        if attempts >= maxAttempts {
          try Self.failJob(
            db, jobID, "chunk \(index) was claimed \(attempts) times without completing", now: now)
          continue
        }
        let token = UUID().uuidString
        try db.execute(
          sql: """
            UPDATE chunk SET state = 'leased', lease_owner = ?, lease_token = ?, lease_expires = ?,
              attempts = attempts + 1 WHERE job_id = ? AND idx = ?
            """, arguments: [worker, token, now + leaseSeconds, jobID, index])
        try db.execute(
          sql: "UPDATE job SET state = 'running', started_at = COALESCE(started_at, ?) WHERE id = ?",
          arguments: [now, jobID])
        let phase = ChunkLease.Phase(rawValue: row["phase"]) ?? .work
        return ChunkLease(
          jobID: jobID, index: index, phase: phase, firstItem: row["first_item"],
          itemCount: row["item_count"],
          token: token, attempt: attempts + 1)
      }
      return nil
    }
  }

  public func renew(_ lease: ChunkLease, leaseSeconds: Double) async throws -> Bool {
    try await transaction { db in
      try db.execute(
        sql: """
          UPDATE chunk SET lease_expires = ? WHERE job_id = ? AND idx = ? AND lease_token = ? AND state = 'leased'
            AND (SELECT state FROM job WHERE id = ?) = 'running'
          """, arguments: [Self.now + leaseSeconds, lease.jobID, lease.index, lease.token, lease.jobID])
      return db.changesCount > 0
    }
  }

  public func complete(_ lease: ChunkLease) async throws -> Bool {
    try await transaction { db in
      let now = Self.now
      try db.execute(
        sql: """
          UPDATE chunk SET state = 'done', finished_at = ?, lease_owner = NULL, lease_token = NULL
          WHERE job_id = ? AND idx = ? AND lease_token = ? AND state = 'leased'
          """, arguments: [now, lease.jobID, lease.index, lease.token])
      guard db.changesCount > 0 else { return false }
      if lease.phase == .assemble {
        try db.execute(
          sql: "UPDATE job SET state = 'succeeded', finished_at = ? WHERE id = ? AND state = 'running'",
          arguments: [now, lease.jobID])
      }
      return true
    }
  }

  public func fail(_ lease: ChunkLease, message: String) async throws {
    _ = try await transaction { db in
      try Self.failJob(db, lease.jobID, "chunk \(lease.index): \(message)", now: Self.now)
      return true
    }
  }

  public func release(_ lease: ChunkLease) async throws {
    _ = try await transaction { db in
      try db.execute(
        sql: """
          UPDATE chunk SET state = 'pending', lease_owner = NULL, lease_token = NULL, lease_expires = NULL,
            attempts = MAX(attempts - 1, 0)
          WHERE job_id = ? AND idx = ? AND lease_token = ? AND state = 'leased'
          """, arguments: [lease.jobID, lease.index, lease.token])
      return true
    }
  }

  public func counts() async throws -> QueueCounts {
    try await pool.read { db in
      var byState: [JobState: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
        if let state = JobState(rawValue: row["state"]) { byState[state] = row["n"] }
      }
      let now = Self.now
      let chunks = try Row.fetchOne(
        db,
        sql: """
          SELECT
            COALESCE(SUM(CASE WHEN c.state = 'pending' OR (c.state = 'leased' AND c.lease_expires < ?)
              THEN 1 ELSE 0 END), 0) AS pending,
            COALESCE(SUM(CASE WHEN c.state = 'leased' AND c.lease_expires >= ? THEN 1 ELSE 0 END), 0) AS leased,
            COALESCE(SUM(CASE WHEN c.state != 'done' THEN c.item_count ELSE 0 END), 0) AS items
          FROM chunk c JOIN job j ON j.id = c.job_id WHERE j.state IN ('queued', 'running')
          """, arguments: [now, now])
      return QueueCounts(
        jobsByState: byState, pendingChunks: chunks?["pending"] ?? 0, leasedChunks: chunks?["leased"] ?? 0,
        pendingItems: chunks?["items"] ?? 0)
    }
  }

  static func failJob(_ db: Database, _ jobID: String, _ message: String, now: Double) throws {
    try db.execute(
      sql: """
        UPDATE job SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state IN ('queued', 'running')
        """, arguments: [message, now, jobID])
    logger.warning("job \(jobID) failed: \(message)")
  }
}
