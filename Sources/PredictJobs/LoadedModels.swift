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
import JobQueue
import Logging
import Model
import Sampler
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
  /// The task's seed table (the entity table of an entity task).
  let seedTable: String
  let isEntityTask: Bool
  private let setups = LockedCache<TaskPredictionSetup>(capacity: 16)
  private let inputEmbeddings = LockedCache<StoreEmbeddings>()
  private let keyIndexes = LockedCache<SeedKeyIndex>()
  private let seedFiles = LockedCache<[ExplicitSeed]>(capacity: 4)

  init(
    model: RelationalTransformer, database: ProcessedDatabase, task: ProcessedTask, keys: ExampleKeys
  ) {
    (self.model, self.database, self.task, self.keys) = (model, database, task.name, keys)
    splitCounts = task.splitCounts
    seedTable = task.seedTable
    isEntityTask = task.form == "entity"
  }

  /// The split prepared for batches of `batchSize` (built on first use).
  public func setup(split: Split, batchSize: Int) throws -> TaskPredictionSetup {
    let embeddings = try sharedEmbeddings()
    return try setups.get("\(split.rawValue)/\(batchSize)") {
      try TaskPredictionSetup(
        database: database, task: task, seeds: .split(split), contextLength: model.config.contextLength,
        batchSize: batchSize, embeddings: embeddings)
    }
  }

  /// Explicit seeds prepared for batches of `batchSize` (built on first use, so a job's chunks share it; the input
  /// embeddings are shared with every other setup).
  public func setup(seeds: [ExplicitSeed], batchSize: Int) throws -> TaskPredictionSetup {
    let embeddings = try sharedEmbeddings()
    // A fingerprint, not a hash of the list: a file's seeds come from one cached array, which compares equal in
    // O(1) (same storage), so a job of millions of seeds does not pay O(n) per chunk.
    let probes = [0, seeds.count / 2, seeds.count - 1].filter { seeds.indices.contains($0) }.map { seeds[$0] }
    let key = "seeds/\(seeds.count)/\(probes.map { "\($0.row)@\($0.time ?? .min)" })/\(batchSize)"
    let setup = try setups.get(key) {
      try TaskPredictionSetup(
        database: database, task: task, seeds: .explicit(seeds), contextLength: model.config.contextLength,
        batchSize: batchSize, embeddings: embeddings)
    }
    guard setup.seeds == .explicit(seeds) else {
      // Another list with the same fingerprint: build this one aside.
      return try TaskPredictionSetup(
        database: database, task: task, seeds: .explicit(seeds), contextLength: model.config.contextLength,
        batchSize: batchSize, embeddings: embeddings)
    }
    return setup
  }

  /// The model's input embeddings of the database (the widened vocabulary), built once.
  private func sharedEmbeddings() throws -> StoreEmbeddings {
    try inputEmbeddings.get("embeddings") { try StoreEmbeddings(databases: [database], columnOffsets: [0]) }
  }

  /// Primary-key values -> seed row (built on first use).
  func keyIndex() throws(JobSpecError) -> SeedKeyIndex {
    do {
      return try keyIndexes.get("index") { try SeedKeyIndex(keys: keys) }
    } catch let error as JobSpecError {
      throw error
    } catch {
      throw JobSpecError(field: "predict.seeds", "\(error)")
    }
  }

  /// The resolved seeds of a seed file, kept while the file is unchanged.
  func seedFile(path: String, defaultTime: Int64?, make: () throws(JobSpecError) -> [ExplicitSeed])
    throws(JobSpecError) -> [ExplicitSeed]
  {
    let key = "\(path)|\(SeedResolver.stamp(path) ?? "-")|\(defaultTime ?? Int64.min)"
    do {
      return try seedFiles.get(key) { try make() }
    } catch let error as JobSpecError {
      throw error
    } catch {
      throw JobSpecError(field: "predict.seeds_path", "\(error)")
    }
  }
}

/// Values built once per key, the oldest dropped past `capacity`; a lock, not an actor, since callers run on their
/// own threads. Building holds the lock, so one value is built once even when asked for by several threads.
final class LockedCache<Value: Sendable>: @unchecked Sendable {
  // @unchecked: `entries` is only touched under `lock`.
  private var entries: [(key: String, value: Value)] = []
  private let capacity: Int
  private let lock = NSLock()

  init(capacity: Int = 64) { self.capacity = max(1, capacity) }

  func get(_ key: String, make: () throws -> Value) throws -> Value {
    try lock.withLock {
      if let entry = entries.first(where: { $0.key == key }) { return entry.value }
      let value = try make()
      entries.append((key, value))
      if entries.count > capacity { entries.removeFirst() }
      return value
    }
  }

  func any() -> Value? { lock.withLock { entries.first?.value } }
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

  /// Loads without caching, on the calling thread (`tributary predict`).
  public static func loadNow(checkpoint: String, database: String, task: String, threads: Int) throws
    -> LoadedPrediction
  {
    try read(Key(checkpoint: checkpoint, database: database, task: task), threads: threads)
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
    return LoadedPrediction(model: model, database: database, task: task, keys: keys)
  }

  private static func modified(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
  }
}
