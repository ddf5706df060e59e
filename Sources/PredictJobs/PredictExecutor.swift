// `predict` jobs: a checkpoint run over the examples of one task split of a processed database, or over explicit
// seeds (rows of the task's seed table named by key or row, at given times: SeedResolver). Items are the split's
// examples in file order, or the seeds in their order; a chunk runs `TaskPredictor` over its positions (batch
// boundaries fixed by the batch size, so every chunk predicts exactly what one run over the whole split would;
// an explicit seed's prediction does not depend on its batch) and writes the rows of PredictionOutput. The model,
// database and keys are loaded once per worker process (LoadedModels). The model runs on a thread of its own, so a
// long batch never starves the lease heartbeat on the cooperative pool.
// Refuses: relative paths, a missing checkpoint, database or task, an unknown or empty split, seeds that cannot
// be resolved (named by position at submission, before the job is queued).
import DatabaseSpec
import Foundation
import JobQueue
import Sampler
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
    let (input, task, target) = try Self.validate(spec)
    let loaded: LoadedPrediction
    do {
      loaded = try await models.load(checkpoint: input.checkpoint, database: input.database, task: task)
    } catch let error as LoadFailure {
      throw JobSpecError(field: error.field, "cannot be loaded: \(error.underlying)")
    }
    guard case .split(let split) = target else {
      let batchSize = input.batchSize ?? self.batchSize
      return try await OwnThread.run { try SeedResolver.plan(input, loaded: loaded, batchSize: batchSize) }
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
    // Each item is `samples` contexts of the model's length.
    spec.cellsPerItem = loaded.model.config.contextLength * (input.samples ?? 1)
    spec.predict?.seedsStamp = input.seedsPath.flatMap(SeedResolver.stamp)
    return spec
  }

  public func execute(_ spec: JobSpec, items: Range<Int>, output: String) async throws {
    let (input, task, target) = try Self.validate(spec)
    let loaded = try await models.load(checkpoint: input.checkpoint, database: input.database, task: task)
    try Task.checkCancellation()
    let (batchSize, threads) = (input.batchSize ?? self.batchSize, self.threads)
    try await OwnThread.run {
      let predictions: TaskPredictions
      if case .split(let split) = target {
        let setup = try loaded.setup(split: split, batchSize: batchSize)
        predictions = try TaskPredictor.run(
          model: loaded.model, setup: setup, backend: CPUBackend(threads: threads), threads: threads,
          items: items, samples: input.samples ?? 1)
      } else {
        if let path = input.seedsPath, SeedResolver.stamp(path) != input.seedsStamp {
          throw PermanentJobError(
            "predict.seeds_path \(path) changed after submission (its items would be other seeds): submit the job again"
          )
        }
        predictions = try Self.predict(
          seeds: try SeedResolver.resolve(input, loaded: loaded), items: items, loaded: loaded,
          batchSize: batchSize, threads: threads, samples: input.samples ?? 1)
      }
      try PredictionOutput.write(predictions, keys: loaded.keys, database: loaded.database, to: output)
    }
  }

  /// Positions `items` of the explicit seeds (the setup over the whole list is built once per job and process).
  static func predict(
    seeds: [ExplicitSeed], items: Range<Int>, loaded: LoadedPrediction, batchSize: Int, threads: Int,
    samples: Int
  ) throws -> TaskPredictions {
    guard items.upperBound <= seeds.count else {
      throw JobSpecError(
        field: "predict.seeds_path",
        "holds \(seeds.count) seeds now, fewer than this chunk needs (\(items.upperBound)): it changed after submission"
      )
    }
    let setup = try loaded.setup(seeds: seeds, batchSize: batchSize)
    return try TaskPredictor.run(
      model: loaded.model, setup: setup, backend: CPUBackend(threads: threads), threads: threads,
      items: items,
      samples: samples)
  }

  /// What a job predicts.
  enum Target {
    case split(Split)
    case explicitSeeds
  }

  /// The predict input with its task and what to predict, or the first field that is wrong.
  static func validate(_ spec: JobSpec) throws(JobSpecError) -> (PredictInput, String, Target) {
    guard let input = spec.predict else {
      throw JobSpecError(field: "predict", "is required for kind 'predict'")
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
    if let size = input.batchSize, !(1...maxBatchSize).contains(size) {
      throw JobSpecError(field: "predict.batch_size", "must be within 1...\(maxBatchSize), got \(size)")
    }
    if let samples = input.samples, !(1...TaskPredictor.maxSamples).contains(samples) {
      throw JobSpecError(
        field: "predict.samples", "must be within 1...\(TaskPredictor.maxSamples), got \(samples)")
    }
    if try SeedResolver.checkShape(input) { return (input, task, .explicitSeeds) }
    let splitName = input.split ?? Split.test.rawValue
    guard let split = Split(rawValue: splitName) else {
      throw JobSpecError(field: "predict.split", "must be train, validation or test, got '\(splitName)'")
    }
    return (input, task, .split(split))
  }
}
