// Claiming, renewing, completing and releasing chunks in PostgreSQL. The claim locks the chosen chunk row with
// `FOR UPDATE SKIP LOCKED`, so concurrent workers each get a different chunk without waiting on each other.
import Foundation
import JobQueue
import PostgresNIO

extension PostgresJobQueue {
  static let readyChunk = """
    SELECT c.job_id, c.idx FROM chunk c JOIN job j ON j.id = c.job_id
    WHERE j.state IN ('queued', 'running')
      AND (c.state = 'pending' OR (c.state = 'leased' AND c.lease_expires < \(PostgresSchema.now)))
      AND (c.phase = 'work' OR NOT EXISTS (
        SELECT 1 FROM chunk w WHERE w.job_id = c.job_id AND w.phase = 'work' AND w.state <> 'done'))
    ORDER BY j.priority DESC, j.submitted_at, j.id, c.idx
    LIMIT 1
    FOR UPDATE OF c SKIP LOCKED
    """

  public func claim(worker: String, leaseSeconds: Double, globalLimit: Int?) async throws -> ChunkLease? {
    for _ in 0..<16 {
      let outcome = try await claimOnce(worker: worker, leaseSeconds: leaseSeconds, globalLimit: globalLimit)
      switch outcome {
      case .none: return nil
      case .lease(let lease): return lease
      case .poisoned: continue
      }
    }
    return nil
  }

  enum ClaimOutcome: Sendable {
    case none
    case lease(ChunkLease)
    /// The chunk ran out of attempts; its job was failed.
    case poisoned
  }

  func claimOnce(worker: String, leaseSeconds: Double, globalLimit: Int?) async throws -> ClaimOutcome {
    let token = UUID().uuidString
    let maxAttempts = self.maxAttempts
    let limit = globalLimit ?? Int.max
    return try await client.withTransaction(logger: Self.logger) { connection -> ClaimOutcome in
      let leasedRows = try await connection.query(
        """
        SELECT COUNT(*)::bigint FROM chunk WHERE state = 'leased' AND lease_expires >= \(unescaped: PostgresSchema.now)
        """, logger: Self.logger)
      for try await (leased) in leasedRows.decode(Int.self) where leased >= limit { return .none }
      let rows = try await connection.query(
        """
        WITH ready AS (\(unescaped: Self.readyChunk))
        UPDATE chunk SET state = 'leased', lease_owner = \(worker), lease_token = \(token),
          lease_expires = \(unescaped: PostgresSchema.now) + \(leaseSeconds), attempts = chunk.attempts + 1
        FROM ready WHERE chunk.job_id = ready.job_id AND chunk.idx = ready.idx
        RETURNING chunk.job_id, chunk.idx, chunk.phase, chunk.first_item, chunk.item_count, chunk.attempts
        """, logger: Self.logger)
      var claimed: (String, Int, String, Int, Int, Int)?
      for try await row in rows.decode((String, Int, String, Int, Int, Int).self) { claimed = row }
      guard let (jobID, index, phase, first, count, attempts) = claimed else { return .none }
      if attempts > maxAttempts {
        let message = "chunk \(index) was claimed \(attempts - 1) times without completing"
        try await connection.query(
          """
          UPDATE job SET state = 'failed', error = \(message), finished_at = \(unescaped: PostgresSchema.now)
          WHERE id = \(jobID) AND state IN ('queued', 'running')
          """, logger: Self.logger)
        return .poisoned
      }
      try await connection.query(
        """
        UPDATE job SET state = 'running', started_at = COALESCE(started_at, \(unescaped: PostgresSchema.now))
        WHERE id = \(jobID)
        """, logger: Self.logger)
      return .lease(
        ChunkLease(
          jobID: jobID, index: index, phase: ChunkLease.Phase(rawValue: phase) ?? .work, firstItem: first,
          itemCount: count, token: token, attempt: attempts))
    }
  }

  /// Runs an UPDATE and says whether it changed a row.
  func changed(_ query: PostgresQuery) async throws -> Bool {
    let rows = try await client.query(query, logger: Self.logger)
    var any = false
    for try await _ in rows { any = true }
    return any
  }

  public func renew(_ lease: ChunkLease, leaseSeconds: Double) async throws -> Bool {
    try await changed(
      """
      UPDATE chunk SET lease_expires = \(unescaped: PostgresSchema.now) + \(leaseSeconds)
      WHERE job_id = \(lease.jobID) AND idx = \(lease.index) AND lease_token = \(lease.token) AND state = 'leased'
        AND (SELECT state FROM job WHERE id = \(lease.jobID)) = 'running'
      RETURNING idx
      """)
  }

  public func complete(_ lease: ChunkLease) async throws -> Bool {
    try await client.withTransaction(logger: Self.logger) { connection in
      let rows = try await connection.query(
        """
        UPDATE chunk SET state = 'done', finished_at = \(unescaped: PostgresSchema.now), lease_owner = NULL,
          lease_token = NULL
        WHERE job_id = \(lease.jobID) AND idx = \(lease.index) AND lease_token = \(lease.token) AND state = 'leased'
        RETURNING idx
        """, logger: Self.logger)
      var done = false
      for try await _ in rows { done = true }
      if done && lease.phase == .assemble {
        try await connection.query(
          """
          UPDATE job SET state = 'succeeded', finished_at = \(unescaped: PostgresSchema.now)
          WHERE id = \(lease.jobID) AND state = 'running'
          """, logger: Self.logger)
      }
      return done
    }
  }

  public func fail(_ lease: ChunkLease, message: String) async throws {
    let text = "chunk \(lease.index): \(message)"
    try await client.query(
      """
      UPDATE job SET state = 'failed', error = \(text), finished_at = \(unescaped: PostgresSchema.now)
      WHERE id = \(lease.jobID) AND state IN ('queued', 'running')
      """, logger: Self.logger)
  }

  public func release(_ lease: ChunkLease) async throws {
    try await client.query(
      """
      UPDATE chunk SET state = 'pending', lease_owner = NULL, lease_token = NULL, lease_expires = NULL,
        attempts = GREATEST(attempts - 1, 0)
      WHERE job_id = \(lease.jobID) AND idx = \(lease.index) AND lease_token = \(lease.token) AND state = 'leased'
      """, logger: Self.logger)
  }

  public func counts() async throws -> QueueCounts {
    var byState: [JobState: Int] = [:]
    let states = try await client.query(
      "SELECT state, COUNT(*)::bigint FROM job GROUP BY state", logger: Self.logger)
    for try await (state, count) in states.decode((String, Int).self) {
      if let parsed = JobState(rawValue: state) { byState[parsed] = count }
    }
    let rows = try await client.query(
      """
      SELECT
        COALESCE(SUM(CASE WHEN c.state = 'pending' OR (c.state = 'leased' AND c.lease_expires < \(unescaped: PostgresSchema.now))
          THEN 1 ELSE 0 END), 0)::bigint,
        COALESCE(SUM(CASE WHEN c.state = 'leased' AND c.lease_expires >= \(unescaped: PostgresSchema.now) THEN 1 ELSE 0 END), 0)::bigint,
        COALESCE(SUM(CASE WHEN c.state <> 'done' THEN c.item_count ELSE 0 END), 0)::bigint
      FROM chunk c JOIN job j ON j.id = c.job_id WHERE j.state IN ('queued', 'running')
      """, logger: Self.logger)
    var counts = QueueCounts(jobsByState: byState, pendingChunks: 0, leasedChunks: 0, pendingItems: 0)
    for try await (pending, leased, items) in rows.decode((Int, Int, Int).self) {
      counts.pendingChunks = pending
      counts.leasedChunks = leased
      counts.pendingItems = items
    }
    return counts
  }
}

/// Opens any queue location, PostgreSQL included.
public enum Queues {
  public static func open(_ location: QueueLocation) async throws -> any JobQueue {
    switch location {
    case .sqlite(let path): return try SQLiteJobQueue(path: path)
    case .postgres(let url): return try await PostgresJobQueue(url: url)
    }
  }
}
