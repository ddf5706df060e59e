// What a `predict` job needs loaded, kept per worker process: the checkpoint's model, the processed database and
// the seed keys of the task, loaded once and reused by every chunk of the job (and by later jobs on the same
// files). Entries are keyed by the paths and the modification times of the checkpoint weights and the database's
// metadata.json, so a rewritten checkpoint is loaded again; at most `capacity` entries are kept (least recently
// used first out).
// Refuses: nothing itself; loading errors (missing files, a checkpoint that does not fit its config) propagate.
import Foundation
import Logging
import Model
import Store
import Tensor
import Training

/// One loaded checkpoint over one processed database and task.
public struct LoadedPrediction: Sendable {
  public let model: RelationalTransformer
  public let database: ProcessedDatabase
  public let keys: ExampleKeys
  /// Examples per split (train, validation, test).
  public let splitCounts: [String: Int]
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

  public func load(checkpoint: String, database: String, task: String) throws -> LoadedPrediction {
    let key = Key(
      checkpoint: checkpoint, database: database, task: task,
      weightsModified: Self.modified(checkpoint + "/" + Checkpoint.weightsFile),
      metadataModified: Self.modified(database + "/metadata.json"))
    if let index = entries.firstIndex(where: { $0.key == key }) {
      let entry = entries.remove(at: index)
      entries.append(entry)
      return entry.value
    }
    let loaded = try Self.read(key, threads: threads)
    entries.removeAll {
      $0.key.checkpoint == checkpoint && $0.key.database == database && $0.key.task == task
    }
    entries.append((key, loaded))
    if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    return loaded
  }

  private static func read(_ key: Key, threads: Int) throws -> LoadedPrediction {
    let start = Date()
    let directory = URL(fileURLWithPath: key.checkpoint)
    let config = try Checkpoint.config(at: directory)
    let backend = CPUBackend(threads: threads)
    let model = try RelationalTransformer(config: config.model, seed: 0, on: backend)
    try Checkpoint.load(into: model, from: directory, backend: backend)
    let database = try ProcessedDatabase(directory: URL(fileURLWithPath: key.database))
    let (task, _) = try database.task(named: key.task)
    let keys = try ExampleKeys(database: database, task: key.task)
    logger.info(
      "loaded \(key.checkpoint) over \(key.database) task \(key.task) in \(Date().timeIntervalSince(start)) s"
    )
    return LoadedPrediction(model: model, database: database, keys: keys, splitCounts: task.splitCounts)
  }

  private static func modified(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
  }
}
