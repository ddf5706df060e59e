// The embedded queue: one SQLite database (WAL mode) in the data directory, shared by the service and any
// number of worker processes on the same machine. Every transition is one IMMEDIATE transaction, so two
// processes never claim the same chunk; a busy timeout serialises writers. Restarting resumes every job where
// it stopped: leases of dead workers expire and their chunks are claimed again.
// Refuses: network file systems (SQLite locking is unreliable there: use the PostgreSQL queue).
import Foundation
import GRDB
import Logging

public final class SQLiteJobQueue: JobQueue {
  public struct Options: Sendable {
    /// How long a writer waits for another process's transaction.
    public var busyTimeout: Double = 30
    /// A chunk claimed this many times without completing fails its job (a poison chunk).
    public var maxAttempts: Int = 5
    public init() {}
  }

  let pool: DatabasePool
  let options: Options
  static let logger = Logger(label: "tributary.service.queue")

  public init(path: String, options: Options = Options()) throws {
    var configuration = Configuration()
    configuration.busyMode = .timeout(options.busyTimeout)
    configuration.foreignKeysEnabled = true
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    pool = try DatabasePool(path: path, configuration: configuration)
    self.options = options
    do {
      try SQLiteSchema.migrator.migrate(pool)
    } catch {
      // Two processes opening a new queue at once: the loser finds the tables created; migrating again sees them.
      Thread.sleep(forTimeInterval: 0.5)
      try SQLiteSchema.migrator.migrate(pool)
    }
  }

  /// One IMMEDIATE transaction: takes the write lock first, so read-then-write never races another process.
  func transaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    try await pool.writeWithoutTransaction { db in
      var result: T?
      try db.inTransaction(.immediate) {
        result = try body(db)
        return .commit
      }
      guard let result else { throw JobQueueError.corruptRecord(job: "-", field: "transaction result") }
      return result
    }
  }

  static var now: Double { Date().timeIntervalSince1970 }

  public func submit(_ spec: JobSpec, totalItems: Int, chunkSize: Int, outputPath: String, id: String)
    async throws -> JobRecord
  {
    let specJSON = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
    let plan = ChunkPlan(totalItems: totalItems, chunkSize: chunkSize)
    let submitted = Self.now
    _ = try await transaction { db in
      try db.execute(
        sql: """
          INSERT INTO job (id, kind, spec, state, priority, total_items, chunk_count, submitted_at, output_path)
          VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)
          """,
        arguments: [
          id, spec.kind.rawValue, specJSON, spec.priority ?? 0, totalItems, plan.count, submitted, outputPath,
        ])
      for (index, range) in plan.ranges.enumerated() {
        try db.execute(
          sql:
            "INSERT INTO chunk (job_id, idx, phase, first_item, item_count, state) VALUES (?, ?, 'work', ?, ?, 'pending')",
          arguments: [id, index, range.lowerBound, range.count])
      }
      try db.execute(
        sql:
          "INSERT INTO chunk (job_id, idx, phase, first_item, item_count, state) VALUES (?, ?, 'assemble', 0, 0, 'pending')",
        arguments: [id, plan.count])
      return true
    }
    Self.logger.info("queued \(id): \(spec.kind.rawValue), \(totalItems) items in \(plan.count) chunks")
    guard let record = try await job(id) else { throw JobQueueError.corruptRecord(job: id, field: "id") }
    return record
  }

  public func job(_ id: String) async throws -> JobRecord? {
    try await pool.read { db in
      try Row.fetchOne(db, sql: Self.jobSelect + " WHERE j.id = ?", arguments: [id]).map(Self.record)
    }
  }

  public func jobs(state: JobState?, limit: Int) async throws -> [JobRecord] {
    try await pool.read { db in
      let filter = state == nil ? "" : " WHERE j.state = ?"
      let arguments: StatementArguments = state.map { [$0.rawValue, limit] } ?? [limit]
      return try Row.fetchAll(
        db, sql: Self.jobSelect + filter + " ORDER BY j.submitted_at DESC, j.id DESC LIMIT ?",
        arguments: arguments
      ).map(Self.record)
    }
  }

  public func cancel(_ id: String) async throws -> JobRecord? {
    let now = Self.now
    _ = try await transaction { db in
      try db.execute(
        sql: """
          UPDATE job SET state = 'cancelled', finished_at = ?
          WHERE id = ? AND state IN ('queued', 'running')
          """, arguments: [now, id])
      return true
    }
    return try await job(id)
  }

  static let jobSelect = """
    SELECT j.*,
      (SELECT COALESCE(SUM(item_count), 0) FROM chunk c WHERE c.job_id = j.id AND c.phase = 'work'
        AND c.state = 'done') AS done_items,
      (SELECT COUNT(*) FROM chunk c WHERE c.job_id = j.id AND c.phase = 'work' AND c.state = 'done')
        AS done_chunks
    FROM job j
    """

  static func record(_ row: Row) throws -> JobRecord {
    let id: String = row["id"]
    let specText: String = row["spec"]
    guard let spec = try? JSONDecoder().decode(JobSpec.self, from: Data(specText.utf8)) else {
      throw JobQueueError.corruptRecord(job: id, field: "spec")
    }
    guard let state = JobState(rawValue: row["state"]) else {
      throw JobQueueError.corruptRecord(job: id, field: "state")
    }
    return JobRecord(
      id: id, spec: spec, state: state, totalItems: row["total_items"], doneItems: row["done_items"],
      chunkCount: row["chunk_count"], doneChunks: row["done_chunks"], submittedAt: row["submitted_at"],
      startedAt: row["started_at"], finishedAt: row["finished_at"], outputPath: row["output_path"],
      error: row["error"])
  }
}

/// How a job's items are cut: equal chunks of `chunkSize`, the last one shorter.
public struct ChunkPlan: Sendable, Equatable {
  public var ranges: [Range<Int>]
  public var count: Int { ranges.count }

  public init(totalItems: Int, chunkSize: Int) {
    let size = max(1, chunkSize)
    ranges = stride(from: 0, to: max(0, totalItems), by: size).map { $0..<min($0 + size, totalItems) }
  }
}
