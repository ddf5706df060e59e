// What a `predict` job needs loaded, kept per worker process: the checkpoint's model, the processed database, the
// example keys of the task and, per split and batch size, the prepared sampler and input embeddings
// (TaskPredictionSetup) — loaded once and reused by every chunk of the job (and by later jobs on the same files).
// Entries are keyed by the paths and the modification times of the checkpoint weights and the database's
// metadata.json, so a rewritten checkpoint is loaded again; at most `capacity` entries are kept (least recently
// used first out).
// Loading runs on a thread of its own (OwnThread). Refuses: nothing itself; a load that fails says which input was
// at fault (LoadFailure.field).
import DatabaseSpec
import Foundation
import Logging
import Model
import Store
import Tensor
import Training

/// One loaded checkpoint over one processed database and task.
public final class LoadedPrediction: Sendable {
  public let model: RelationalTransformer
  public let database: ProcessedDatabase
  public let task: String
  public let keys: ExampleKeys
  /// Examples per split (train, validation, test).
  public let splitCounts: [String: Int]
  private let setups = SetupCache()

  init(
    model: RelationalTransformer, database: ProcessedDatabase, task: String, keys: ExampleKeys,
    splitCounts: [String: Int]
  ) {
    (self.model, self.database, self.task, self.keys, self.splitCounts) =
      (model, database, task, keys, splitCounts)
  }

  /// The split prepared for batches of `batchSize` (built on first use).
  public func setup(split: Split, batchSize: Int) throws -> TaskPredictionSetup {
    try setups.get(split: split, batchSize: batchSize) {
      try TaskPredictionSetup(
        database: database, task: task, split: split, contextLength: model.config.contextLength,
        batchSize: batchSize)
    }
  }
}

/// Prepared splits by (split, batch size); a lock, not an actor, since callers run on their own threads.
final class SetupCache: @unchecked Sendable {
  // @unchecked: `setups` is only touched under `lock`.
  private var setups: [String: TaskPredictionSetup] = [:]
  private let lock = NSLock()

  func get(split: Split, batchSize: Int, make: () throws -> TaskPredictionSetup) throws -> TaskPredictionSetup
  {
    try lock.withLock {
      let key = "\(split.rawValue)/\(batchSize)"
      if let setup = setups[key] { return setup }
      let setup = try make()
      setups[key] = setup
      return setup
    }
  }
}

/// A `predict` input that could not be loaded, with the JSON field to blame.
public struct LoadFailure: Error, Sendable, CustomStringConvertible {
  public var field: String
  public var underlying: String
  public var description: String { "\(field): \(underlying)" }
}

public actor LoadedModels {
  struct Key: Hashable {
    var checkpoint: String
    var database: String
    var task: String
    var weightsModified: Date?
    var metadataModified: Date?
  }

  private var entries: [(key: Key, value: LoadedPrediction)] = []
  private let capacity: Int
  private let threads: Int
  static let logger = Logger(label: "tributary.predictjobs")

  public init(capacity: Int = 2, threads: Int) {
    self.capacity = max(1, capacity)
    self.threads = threads
  }

  public func load(checkpoint: String, database: String, task: String) async throws -> LoadedPrediction {
    let key = Key(
      checkpoint: checkpoint, database: database, task: task,
      weightsModified: Self.modified(checkpoint + "/" + Checkpoint.weightsFile),
      metadataModified: Self.modified(database + "/metadata.json"))
    if let index = entries.firstIndex(where: { $0.key == key }) {
      let entry = entries.remove(at: index)
      entries.append(entry)
      return entry.value
    }
    let threads = self.threads
    // Awaiting here lets a second request for the same files start its own load; both results are valid and the
    // later one replaces the earlier below.
    let loaded = try await OwnThread.run { try Self.read(key, threads: threads) }
    entries.removeAll {
      $0.key.checkpoint == checkpoint && $0.key.database == database && $0.key.task == task
    }
    entries.append((key, loaded))
    if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    return loaded
  }

  private static func read(_ key: Key, threads: Int) throws -> LoadedPrediction {
    let start = Date()
    func blaming<T>(_ field: String, _ load: () throws -> T) throws -> T {
      do { return try load() } catch { throw LoadFailure(field: field, underlying: "\(error)") }
    }
    let directory = URL(fileURLWithPath: key.checkpoint)
    let backend = CPUBackend(threads: threads)
    let model = try blaming("predict.checkpoint") {
      let model = try RelationalTransformer(
        config: try Checkpoint.config(at: directory).model, seed: 0, on: backend)
      try Checkpoint.load(into: model, from: directory, backend: backend)
      return model
    }
    let database = try blaming("predict.database") {
      try ProcessedDatabase(directory: URL(fileURLWithPath: key.database))
    }
    let task = try blaming("predict.task") { try database.task(named: key.task).task }
    let keys = try blaming("predict.database") { try ExampleKeys(database: database, task: key.task) }
    logger.info(
      "loaded \(key.checkpoint) over \(key.database) task \(key.task) in \(Date().timeIntervalSince(start)) s"
    )
    return LoadedPrediction(
      model: model, database: database, task: key.task, keys: keys, splitCounts: task.splitCounts)
  }

  private static func modified(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
  }
}
