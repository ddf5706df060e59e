// `predict` jobs: a checkpoint run over the examples of one task split of a processed database. Items are the
// split's examples in file order; a chunk runs `TaskPredictor` over its positions (batch boundaries fixed by the
// batch size, so every chunk predicts exactly what one run over the whole split would) and writes the rows of
// PredictionOutput. The model, database and keys are loaded once per worker process (LoadedModels). The model
// runs on a thread of its own, so a long batch never starves the lease heartbeat on the cooperative pool.
// Refuses: explicit `seed_rows`/`table` (the sampler builds contexts only for a task's examples, whose labels
// and times it knows), relative paths, a missing checkpoint, database or task, an unknown or empty split.
import DatabaseSpec
import Foundation
import JobQueue
import Tensor
import Training

public struct PredictExecutor: ChunkExecutor {
  public let kind = JobKind.predict
  /// Contexts per forward pass for jobs that do not fix theirs (`predict.batch_size`, set at submission).
  public let batchSize: Int
  public static let maxBatchSize = 4096
  public let threads: Int
  let models: LoadedModels

  public init(threads: Int = 2, batchSize: Int = 16, cachedModels: Int = 2) {
    self.threads = max(1, threads)
    self.batchSize = max(1, batchSize)
    models = LoadedModels(capacity: cachedModels, threads: self.threads)
  }

  public func plan(_ spec: JobSpec) async throws -> Int {
    let (input, task, split) = try Self.validate(spec)
    let loaded: LoadedPrediction
    do {
      loaded = try await models.load(checkpoint: input.checkpoint, database: input.database, task: task)
    } catch let error as LoadFailure {
      throw JobSpecError(field: error.field, "cannot be loaded: \(error.underlying)")
    }
    let count = loaded.splitCounts[split.rawValue] ?? 0
    guard count > 0 else {
      throw JobSpecError(field: "predict.split", "task '\(task)' has no \(split.rawValue) examples")
    }
    return count
  }

  /// Fixes the batch size (it decides which candidates a categorical prediction ranks) and the cells per item:
  /// every context is `contextLength` cells (padded), as the training loop counts cells/s.
  public func resolve(_ spec: JobSpec) async throws -> JobSpec {
    let (input, task, _) = try Self.validate(spec)
    let loaded = try await models.load(checkpoint: input.checkpoint, database: input.database, task: task)
    var spec = spec
    spec.predict?.batchSize = input.batchSize ?? batchSize
    spec.cellsPerItem = loaded.model.config.contextLength
    return spec
  }

  public func execute(_ spec: JobSpec, items: Range<Int>, output: String) async throws {
    let (input, task, split) = try Self.validate(spec)
    let loaded = try await models.load(checkpoint: input.checkpoint, database: input.database, task: task)
    try Task.checkCancellation()
    let (batchSize, threads) = (input.batchSize ?? self.batchSize, self.threads)
    try await OwnThread.run {
      let setup = try loaded.setup(split: split, batchSize: batchSize)
      let predictions = try TaskPredictor.run(
        model: loaded.model, setup: setup, backend: CPUBackend(threads: threads), threads: threads,
        items: items)
      try PredictionOutput.write(predictions, keys: loaded.keys, database: loaded.database, to: output)
    }
  }

  /// The predict input with its task and split, or the first field that is wrong.
  static func validate(_ spec: JobSpec) throws(JobSpecError) -> (PredictInput, String, Split) {
    guard let input = spec.predict else {
      throw JobSpecError(field: "predict", "is required for kind 'predict'")
    }
    if input.seedRows != nil {
      throw JobSpecError(
        field: "predict.seed_rows",
        "explicit seed rows are not supported yet: the sampler builds contexts only for the examples of a task; "
          + "give predict.task and predict.split")
    }
    if input.table != nil {
      throw JobSpecError(
        field: "predict.table", "is only meaningful with seed_rows, which are not supported yet")
    }
    guard input.checkpoint.hasPrefix("/") else {
      throw JobSpecError(field: "predict.checkpoint", "must be an absolute path")
    }
    guard input.database.hasPrefix("/") else {
      throw JobSpecError(field: "predict.database", "must be an absolute path")
    }
    guard let task = input.task, !task.isEmpty else {
      throw JobSpecError(field: "predict.task", "is required")
    }
    let splitName = input.split ?? Split.test.rawValue
    guard let split = Split(rawValue: splitName) else {
      throw JobSpecError(field: "predict.split", "must be train, validation or test, got '\(splitName)'")
    }
    if let size = input.batchSize, !(1...maxBatchSize).contains(size) {
      throw JobSpecError(field: "predict.batch_size", "must be within 1...\(maxBatchSize), got \(size)")
    }
    return (input, task, split)
  }
}
