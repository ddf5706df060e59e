// The scale-out queue: the same jobs and chunks as the SQLite queue, in PostgreSQL (postgres-nio), so worker
// processes on several machines share the work. A claim is one statement that picks the next ready chunk with
// `FOR UPDATE SKIP LOCKED` (concurrent claimers never wait on, nor take, the same row) and leases it. Lease
// times come from the database's clock, so machines with skewed clocks agree on expiry.
// Refuses: TLS (loopback and private networks only in this version); chunk files must be on storage every worker
// and the service see (`--data-dir`).
import Foundation
import JobQueue
import Logging
import PostgresNIO

public final class PostgresJobQueue: JobQueue {
  let client: PostgresClient
  let runner: Task<Void, Never>
  let maxAttempts: Int
  static let logger = Logger(label: "tributary.service.postgres")

  /// `postgres://user[:password]@host[:port]/database`.
  public init(url: String, maxAttempts: Int = 5) async throws {
    guard let components = URLComponents(string: url), let host = components.host, let user = components.user
    else { throw JobQueueError.invalidLocation(url + " (expected postgres://user@host:port/database)") }
    let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    let configuration = PostgresClient.Configuration(
      host: host, port: components.port ?? 5432, username: user, password: components.password,
      database: database.isEmpty ? nil : database, tls: .disable)
    let client = PostgresClient(configuration: configuration, backgroundLogger: Self.logger)
    self.client = client
    runner = Task { await client.run() }
    self.maxAttempts = maxAttempts
    try await migrate()
  }

  deinit { runner.cancel() }

  func migrate() async throws {
    try await client.withTransaction(logger: Self.logger) { connection in
      // One migrator at a time across processes.
      try await connection.query("SELECT pg_advisory_xact_lock(7281953)", logger: Self.logger)
      for statement in PostgresSchema.statements {
        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.logger)
      }
    }
  }

  public func submit(_ spec: JobSpec, totalItems: Int, chunkSize: Int, outputPath: String, id: String)
    async throws -> JobRecord
  {
    let specJSON = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
    let plan = ChunkPlan(totalItems: totalItems, chunkSize: chunkSize)
    let kind = spec.kind.rawValue
    let priority = spec.priority ?? 0
    let chunks = plan.count
    try await client.withTransaction(logger: Self.logger) { connection in
      try await connection.query(
        """
        INSERT INTO job (id, kind, spec, state, priority, total_items, chunk_count, submitted_at, output_path)
        VALUES (\(id), \(kind), \(specJSON), 'queued', \(priority), \(totalItems), \(chunks), \(unescaped: PostgresSchema.now), \(outputPath))
        """, logger: Self.logger)
      // All chunks in one statement: generate_series cuts the items exactly as ChunkPlan does.
      try await connection.query(
        """
        INSERT INTO chunk (job_id, idx, phase, first_item, item_count, state)
        SELECT \(id), i, 'work', i * \(chunkSize), LEAST(\(chunkSize), \(totalItems) - i * \(chunkSize)), 'pending'
        FROM generate_series(0, \(chunks) - 1) AS i
        """, logger: Self.logger)
      try await connection.query(
        """
        INSERT INTO chunk (job_id, idx, phase, first_item, item_count, state)
        VALUES (\(id), \(chunks), 'assemble', 0, 0, 'pending')
        """, logger: Self.logger)
    }
    Self.logger.info("queued \(id): \(kind), \(totalItems) items in \(chunks) chunks")
    guard let record = try await job(id) else { throw JobQueueError.corruptRecord(job: id, field: "id") }
    return record
  }

  public func job(_ id: String) async throws -> JobRecord? {
    let rows = try await client.query(
      PostgresQuery(unsafeSQL: PostgresSchema.jobSelect + " WHERE j.id = $1", binds: binds([id])),
      logger: Self.logger)
    for try await row in rows { return try Self.record(row) }
    return nil
  }

  public func jobs(state: JobState?, limit: Int) async throws -> [JobRecord] {
    let filter = state == nil ? "" : " WHERE j.state = $2"
    var values: [String] = [String(limit)]
    if let state { values.append(state.rawValue) }
    let sql = PostgresSchema.jobSelect + filter + " ORDER BY j.submitted_at DESC, j.id DESC LIMIT $1::bigint"
    let rows = try await client.query(
      PostgresQuery(unsafeSQL: sql, binds: binds(values)), logger: Self.logger)
    var records: [JobRecord] = []
    for try await row in rows { records.append(try Self.record(row)) }
    return records
  }

  public func cancel(_ id: String) async throws -> JobRecord? {
    try await client.query(
      """
      UPDATE job SET state = 'cancelled', finished_at = \(unescaped: PostgresSchema.now)
      WHERE id = \(id) AND state IN ('queued', 'running')
      """, logger: Self.logger)
    return try await job(id)
  }

  func binds(_ values: [String]) -> PostgresBindings {
    var bindings = PostgresBindings()
    for value in values { bindings.append(value) }
    return bindings
  }

  static func record(_ row: PostgresRow) throws -> JobRecord {
    let (id, spec, state, total, chunks, submitted, started, finished, output, error, doneItems, doneChunks) =
      try row.decode(
        (String, String, String, Int, Int, Double, Double?, Double?, String, String?, Int, Int).self)
    guard let decoded = try? JSONDecoder().decode(JobSpec.self, from: Data(spec.utf8)) else {
      throw JobQueueError.corruptRecord(job: id, field: "spec")
    }
    guard let parsedState = JobState(rawValue: state) else {
      throw JobQueueError.corruptRecord(job: id, field: "state")
    }
    return JobRecord(
      id: id, spec: decoded, state: parsedState, totalItems: total, doneItems: doneItems, chunkCount: chunks,
      doneChunks: doneChunks, submittedAt: submitted, startedAt: started, finishedAt: finished,
      outputPath: output,
      error: error)
  }
}
