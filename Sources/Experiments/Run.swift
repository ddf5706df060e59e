// One run being recorded: metrics per step, evaluations per split, and the final outcome. Every call is one
// committed transaction, so a crash loses at most the call in flight. While the run is open a heartbeat
// (a timer on a private queue) refreshes its liveness for readers on other hosts. Not a metrics buffer:
// callers log at the granularity they want stored.
import Dispatch
import Foundation
import GRDB

public final class Run: Sendable {
  public let id: String
  public let name: String
  private let store: ExperimentStore
  private let heartbeat: Heartbeat

  init(id: String, name: String, store: ExperimentStore) {
    self.id = id
    self.name = name
    self.store = store
    self.heartbeat = Heartbeat(interval: store.options.heartbeatInterval) { [pool = store.pool] in
      try? pool.write { db in
        try db.execute(
          sql: "UPDATE run SET heartbeat_unix = ? WHERE id = ? AND status = 'running'",
          arguments: [Clock.nowUnix(), id])
      }
    }
  }

  /// A run released without `finish` (e.g. an error unwound the training loop) is marked failed.
  deinit {
    heartbeat.stop()
    _ = try? store.write { db in
      try db.execute(
        sql: """
          UPDATE run SET status = 'failed', ended_at = ?, failure = 'abandoned: released without finish()'
          WHERE id = ? AND status = 'running'
          """, arguments: [Clock.nowISO8601(), id])
    }
  }

  /// Records training metrics at `step` (losses per kind, learning rate, throughput...). NaN is stored as NULL.
  public func logMetrics(step: Int, _ values: [String: Double]) throws {
    let now = Clock.nowISO8601()
    try store.write { db in
      let insert = try db.cachedStatement(
        sql: "INSERT INTO step_metric (run_id, step, name, value, recorded_at) VALUES (?, ?, ?, ?, ?)")
      for (name, value) in values.sorted(by: { $0.key < $1.key }) {
        try insert.execute(arguments: [id, step, name, value, now])
      }
      try touch(db)
    }
  }

  /// Records the metrics of one evaluation on `split` ("validation", "test", ...), optionally at a step.
  public func logEvaluation(split: String, step: Int? = nil, metrics: [String: Double]) throws {
    let now = Clock.nowISO8601()
    try store.write { db in
      let insert = try db.cachedStatement(
        sql: """
          INSERT INTO evaluation_metric (run_id, step, split, name, value, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
          """)
      for (name, value) in metrics.sorted(by: { $0.key < $1.key }) {
        try insert.execute(arguments: [id, step, split, name, value, now])
      }
      try touch(db)
    }
  }

  /// Ends the run: status, final metrics, checkpoint and output paths. Throws if it is no longer running.
  public func finish(
    status: RunStatus = .succeeded, finalMetrics: [String: Double] = [:], checkpoint: String? = nil,
    outputs: [String] = [], failure: String? = nil
  ) throws {
    heartbeat.stop()
    let outputsJSON = try JSONText.encode(outputs, what: "outputs")
    try store.write { db in
      let current = try String.fetchOne(db, sql: "SELECT status FROM run WHERE id = ?", arguments: [id])
      guard let current else { throw ExperimentsError.runNotFound(id) }
      guard current == RunStatus.running.rawValue else {
        throw ExperimentsError.runNotRunning(id: id, status: current)
      }
      for (name, value) in finalMetrics {
        try db.execute(
          sql: "INSERT OR REPLACE INTO final_metric (run_id, name, value) VALUES (?, ?, ?)",
          arguments: [id, name, value])
      }
      try db.execute(
        sql: """
          UPDATE run SET status = ?, ended_at = ?, heartbeat_unix = ?, checkpoint = ?, outputs = ?, failure = ?
          WHERE id = ?
          """,
        arguments: [
          status.rawValue, Clock.nowISO8601(), Clock.nowUnix(), checkpoint, outputsJSON, failure, id,
        ])
    }
    if let checkpoint, FileManager.default.fileExists(atPath: checkpoint) {
      try registerCheckpoint(checkpoint)
    }
  }

  /// Adds free-form tags (idempotent).
  public func tag(_ tags: [String]) throws {
    try store.tag(run: id, tags)
  }

  /// A run's checkpoint becomes a model named "NAME-ID", trained on the run's databases.
  private func registerCheckpoint(_ path: String) throws {
    let databases = try store.read { db in
      JSONValue.parse(try String.fetchOne(db, sql: "SELECT databases FROM run WHERE id = ?", arguments: [id]))
    }
    try store.registerModel(name: "\(name)-\(id)", path: path, databases: databases.stringArray, runID: id)
  }

  private func touch(_ db: Database) throws {
    let touch = try db.cachedStatement(sql: "UPDATE run SET heartbeat_unix = ? WHERE id = ?")
    try touch.execute(arguments: [Clock.nowUnix(), id])
  }
}

/// A repeating timer that can be stopped once, from any thread.
final class Heartbeat: @unchecked Sendable {
  private let timer: DispatchSourceTimer
  private let lock = NSLock()
  private var stopped = false

  init(interval: Double, beat: @escaping @Sendable () -> Void) {
    timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "tributary.experiments.heartbeat"))
    timer.schedule(deadline: .now() + interval, repeating: interval)
    timer.setEventHandler(handler: beat)
    timer.resume()
  }

  func stop() {
    lock.lock()
    defer { lock.unlock() }
    guard !stopped else { return }
    stopped = true
    timer.cancel()
  }
}
