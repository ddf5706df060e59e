// The training loop behind `tributary train`: batches from the sampler (pretraining on a mixture of databases,
// or fine-tuning on a task's train split), one `Trainer` step each, progress on the log (step, loss per kind,
// cells/s, ETA), one JSON line per step in RUN_DIR/metrics.jsonl, checkpoints in RUN_DIR/checkpoint every
// `checkpointEvery` steps and at the end; `resume` continues from RUN_DIR/checkpoint's step. Runs on the backend it
// is given (CPU by default). Data parallel: each rank of a `Communicator` samples its own slice of every global
// batch (contexts r*B/N ..< (r+1)*B/N of it, as the sampler is deterministic per context index); only rank 0 writes
// metrics and checkpoints. The next step's input is built while the current step runs (`InputPrefetcher`).
// Refuses: an empty sampler epoch, a non-finite loss (the step throws), a batch size not divisible by the ranks.
import DatabaseSpec
import Foundation
import Logging
import Model
import Sampler
import Store
import Tensor

public struct TrainingPlan: Sendable {
  public var databases: [URL]
  /// Fine-tune on this task of the first database; nil: pretrain on the mixture (masked cells).
  public var task: String?
  public var config: TrainingConfig
  public var runDirectory: URL
  public var resume: Bool
  /// Start from these weights (a checkpoint folder), e.g. a pretrained model to fine-tune.
  public var initialCheckpoint: URL?

  public init(
    databases: [URL], task: String?, config: TrainingConfig, runDirectory: URL, resume: Bool,
    initialCheckpoint: URL? = nil
  ) {
    (self.databases, self.task, self.config) = (databases, task, config)
    (self.runDirectory, self.resume, self.initialCheckpoint) = (runDirectory, resume, initialCheckpoint)
  }

  public var checkpointDirectory: URL { runDirectory.appendingPathComponent("checkpoint") }
}

public enum TrainingLoop {
  static let logger = Logger(label: "tributary.training")

  /// Trains per `plan` on `backend` (nil: the CPU with `config.threads`), as rank `communicator.rank` of its group;
  /// `onStep` sees every step's report on rank 0 (the experiment store). Returns the last report.
  @discardableResult
  public static func run(
    _ plan: TrainingPlan, backend: (any Backend)? = nil, communicator: any Communicator = SoloCommunicator(),
    onStep: (StepReport, Double) throws -> Void
  ) throws -> StepReport? {
    let config = plan.config
    let backend = backend ?? CPUBackend(threads: config.threads)
    let databases = try plan.databases.map { try ProcessedDatabase(directory: $0) }
    let shard = try BatchShard(batchSize: config.batchSize, communicator: communicator)
    let sampler = try makeSampler(plan, databases: databases, batchSize: shard.localBatchSize)
    let embeddings = try StoreEmbeddings(databases: databases, columnOffsets: sampler.columnOffsets)
    var effective = config
    effective.model.embeddingWidth = embeddings.embeddings.width
    let trainer = try Trainer(config: effective, backend: backend, communicator: communicator)
    try FileManager.default.createDirectory(at: plan.runDirectory, withIntermediateDirectories: true)
    if plan.resume {
      if !(try trainer.resume(from: plan.checkpointDirectory)) {
        logger.warning(
          "resuming without optimizer moments (none saved at this step): AdamW restarts from zero")
      }
    } else if let initial = plan.initialCheckpoint {
      try Checkpoint.load(into: trainer.model, from: initial, backend: backend)
    }
    logger.info(
      "training",
      metadata: [
        "parameters": "\(trainer.model.parameterCount)", "start": "\(trainer.step)",
        "backend": "\(backend.name)",
        "rank": "\(communicator.rank)/\(communicator.worldSize)",
      ])
    let classes = try plan.task.flatMap { task in
      try databases.first.flatMap { try TaskClasses.vocabularyIds(task: task, in: $0) }
    }
    let source = BatchSource(sampler: sampler, shard: shard, embeddings: embeddings, candidatePool: classes)
    return try loop(trainer, source: source, plan: plan, config: effective, onStep: onStep)
  }

  static func makeSampler(_ plan: TrainingPlan, databases: [ProcessedDatabase], batchSize: Int) throws
    -> Sampler
  {
    let mode: SamplingMode = plan.task.map { .task(name: $0, split: .train, shuffle: true) } ?? .pretrain
    let settings = SamplerSettings(
      mode: mode, contextLength: plan.config.model.contextLength, batchSize: batchSize, seed: plan.config.seed
    )
    let sampler = try Sampler(databases: databases.map { ($0, 1.0) }, settings: settings)
    guard sampler.batchesPerEpoch > 0 else {
      throw ModelError.invalidInput(what: "sampler", detail: "an epoch has no batches")
    }
    return sampler
  }

  private static func loop(
    _ trainer: Trainer, source: BatchSource, plan: TrainingPlan, config: TrainingConfig,
    onStep: (StepReport, Double) throws -> Void
  ) throws -> StepReport? {
    let leader = trainer.communicator.rank == 0
    let metrics = leader ? try openMetrics(plan) : nil
    defer { try? metrics?.close() }
    let prefetcher = InputPrefetcher(source: source, config: config, backend: trainer.backend)
    let start = Date()
    let first = trainer.step
    var last: StepReport?
    while trainer.step < config.steps {
      let input = try prefetcher.input(step: trainer.step, end: config.steps)
      let report = try trainer.train(on: input)
      last = report
      guard leader, let metrics else { continue }
      let elapsed = Date().timeIntervalSince(start)
      let globalCells = input.cellCount * trainer.communicator.worldSize
      let cellsPerSecond = Double((trainer.step - first) * globalCells) / max(elapsed, 1e-9)
      metrics.write(try JSONEncoder().encode(report) + Data("\n".utf8))
      try onStep(report, cellsPerSecond)
      if trainer.step % 10 == 0 || trainer.step == config.steps {
        progress(
          report, cellsPerSecond: cellsPerSecond, elapsed: elapsed, done: trainer.step - first,
          total: config.steps - first)
      }
      if trainer.step % config.checkpointEvery == 0 || trainer.step == config.steps {
        try trainer.saveCheckpoint(config: config, to: plan.checkpointDirectory)
      }
    }
    return last
  }

  private static func openMetrics(_ plan: TrainingPlan) throws -> FileHandle {
    let metricsURL = plan.runDirectory.appendingPathComponent("metrics.jsonl")
    if !FileManager.default.fileExists(atPath: metricsURL.path) {
      _ = FileManager.default.createFile(atPath: metricsURL.path, contents: nil)
    }
    let metrics = try FileHandle(forWritingTo: metricsURL)
    try metrics.seekToEnd()
    return metrics
  }

  private static func progress(
    _ r: StepReport, cellsPerSecond: Double, elapsed: Double, done: Int, total: Int
  ) {
    let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
    func f(_ v: Float?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }
    logger.notice(
      "step \(r.step): loss \(f(r.losses.total)) (regression \(f(r.losses.regression)), binary \(f(r.losses.binary)), contrastive \(f(r.losses.contrastive))), lr \(String(format: "%.2e", r.learningRate)), \(Int(cellsPerSecond)) cells/s, ETA \(Int(eta)) s"
    )
  }
}
