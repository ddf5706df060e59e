// Runs a model over the examples of one task split (the sampler in task mode, in file order; all of them, or the
// positions `items` of the split, for batch jobs cut into chunks, which share one TaskPredictionSetup) and
// collects one prediction per example: regression targets mapped back to original units with the task's
// train-split label statistics, booleans as probabilities, categorical/text as the best class (the task's
// train-split classes, plus the batch's true labels, are the candidates; the truth's rank gives MRR). Then the
// split's metrics. Explicit seeds (rows of the task's seed table at given times, not examples of the task) are
// predicted alike; their labels are unknown (NaN, rank 0) and they are ranked against the train classes alone.
// Refuses: a context whose target cell is missing (it is skipped and counted).
import DatabaseSpec
import Foundation
import Logging
import Model
import Sampler
import Store
import Tensor

public struct ExamplePrediction: Sendable {
  /// Position of the example within its split (file order) or of the explicit seed in its list, the item number of
  /// batch jobs.
  public var item: Int = -1
  /// Index in the task file; -1 for an explicit seed.
  public var example: Int64
  /// Row of the task's seed table (cell task: the task's table; entity task: the entity table).
  public var seedRow: Int64 = -1
  public var time: Int64
  /// Original units (regression), probability (boolean), vocabulary id of the best candidate (categorical).
  public var prediction: Double
  /// NaN when unknown (explicit seeds).
  public var label: Double
  /// Categorical/text: the truth's rank among the candidates (1 = best); 0 otherwise.
  public var rank: Int
}

public struct TaskPredictions: Sendable {
  public var kind: CellType
  public var examples: [ExamplePrediction] = []
  /// The constant baseline: the train split's label mean (regression) or positive rate (boolean).
  public var baseline: Double = .nan

  /// Metrics by the target's kind.
  public func metrics() -> [String: Double] {
    let p = examples.map(\.prediction)
    let y = examples.map(\.label)
    let constant = [Double](repeating: baseline, count: y.count)
    switch kind {
    case .boolean:
      return [
        "auroc": Metrics.auroc(scores: p, labels: y),
        "average_precision": Metrics.averagePrecision(scores: p, labels: y),
        "baseline/auroc": Metrics.auroc(scores: constant, labels: y),
        "baseline/average_precision": Metrics.averagePrecision(scores: constant, labels: y),
      ]
    case .numerical, .timestamp:
      return [
        "mae": Metrics.meanAbsoluteError(predictions: p, labels: y),
        "r2": Metrics.rSquared(predictions: p, labels: y),
        "baseline/mae": Metrics.meanAbsoluteError(predictions: constant, labels: y),
        "baseline/r2": Metrics.rSquared(predictions: constant, labels: y),
      ]
    default:
      let n = Double(max(examples.count, 1))
      return [
        "accuracy": Double(examples.filter { $0.rank == 1 }.count) / n,
        "mrr": examples.reduce(0) { $0 + ($1.rank > 0 ? 1 / Double($1.rank) : 0) } / n,
      ]
    }
  }
}

/// What to predict: the examples of a split, or explicit seeds.
public enum PredictionSeeds: Sendable, Equatable {
  case split(Split)
  case explicit([ExplicitSeed])
}

/// One task split (or list of explicit seeds) made ready for prediction: the sampler and the model's input
/// embeddings (the widened vocabulary: the costly part, which several setups over one database may share), built
/// once and shared by every run over the split (a batch job's chunks).
public final class TaskPredictionSetup: Sendable {
  public let task: String
  public let seeds: PredictionSeeds
  let sampler: Sampler
  public let embeddings: StoreEmbeddings
  /// Seed row per example of the task file (split mode) or per explicit seed.
  let seedRows: [Int32]
  let kind: CellType
  let stats: ColumnStatistics
  let baseline: Double
  /// Categorical/Text targets: the train split's classes, the candidates every example is ranked against.
  let classes: [Int32]?

  /// `embeddings`: those of another setup over the same database, to share (built when nil).
  public init(
    database: ProcessedDatabase, task: String, seeds: PredictionSeeds, contextLength: Int, batchSize: Int,
    embeddings: StoreEmbeddings? = nil
  ) throws {
    let (taskInfo, taskFile) = try database.task(named: task)
    guard let kind = CellType(taskInfo.targetType) else {
      throw ModelError.invalidInput(
        what: "task \(task)", detail: "target type \(taskInfo.targetType) is not predictable")
    }
    let mode: SamplingMode
    switch seeds {
    case .split(let split):
      mode = .task(name: task, split: split, shuffle: false)
      seedRows = try taskFile.array("seed_row", as: Int32.self)
    case .explicit(let explicit):
      mode = .seeds(task: task, seeds: explicit)
      seedRows = explicit.map { Int32(truncatingIfNeeded: $0.row) }
    }
    let settings = SamplerSettings(mode: mode, contextLength: contextLength, batchSize: batchSize, seed: 0)
    sampler = try Sampler(database: database, settings: settings)
    self.embeddings =
      try embeddings ?? StoreEmbeddings(databases: [database], columnOffsets: sampler.columnOffsets)
    stats = taskInfo.labelStatistics ?? ColumnStatistics()
    baseline = kind == .boolean ? taskInfo.positiveRate?["train"] ?? .nan : stats.mean
    classes = try TaskClasses.vocabularyIds(task: task, in: database)
    (self.task, self.seeds, self.kind) = (task, seeds, kind)
  }

  public convenience init(
    database: ProcessedDatabase, task: String, split: Split, contextLength: Int, batchSize: Int
  ) throws {
    try self.init(
      database: database, task: task, seeds: .split(split), contextLength: contextLength, batchSize: batchSize
    )
  }

  var isExplicit: Bool { if case .explicit = seeds { true } else { false } }

  /// Whether a target of unknown label can be ranked: not categorical, or the task has train classes.
  public var hasCandidates: Bool { (kind != .categorical && kind != .text) || !(classes ?? []).isEmpty }

  /// Examples in the split.
  public var exampleCount: Int { sampler.samplesPerEpoch }
}

extension PredictionSeeds {
  var name: String {
    switch self {
    case .split(let split): split.rawValue
    case .explicit(let seeds): "\(seeds.count) explicit seeds"
    }
  }
}

public enum TaskPredictor {
  static let logger = Logger(label: "tributary.training")

  /// Predicts every example of the split.
  public static func run(
    model: RelationalTransformer, database: ProcessedDatabase, task: String, split: Split, batchSize: Int,
    backend: any Backend, threads: Int, samples: Int = 1
  ) throws -> TaskPredictions {
    let setup = try TaskPredictionSetup(
      database: database, task: task, split: split, contextLength: model.config.contextLength,
      batchSize: batchSize)
    return try run(model: model, setup: setup, backend: backend, threads: threads, samples: samples)
  }

  /// Most sampled contexts averaged per example.
  public static let maxSamples = 64

  /// Predicts the examples at positions `items` of the split (nil: all). Batches keep the same boundaries
  /// whatever `items` is (batch k holds positions k·batchSize ..< (k+1)·batchSize), so a chunk's predictions are
  /// exactly those of a run over the whole split. `samples` > 1 averages the heads' outputs over that many sampled
  /// contexts per example (ContextAverage).
  public static func run(
    model: RelationalTransformer, setup: TaskPredictionSetup, backend: any Backend, threads: Int,
    items: Range<Int>? = nil, samples: Int = 1
  ) throws -> TaskPredictions {
    let sampler = setup.sampler
    guard sampler.settings.contextLength == model.config.contextLength else {
      throw ModelError.invalidInput(
        what: "task \(setup.task)",
        detail:
          "prepared for contexts of \(sampler.settings.contextLength), the model takes \(model.config.contextLength)"
      )
    }
    var result = TaskPredictions(kind: setup.kind)
    result.baseline = setup.baseline
    var arena: Arena?
    let batch = sampler.makeBatch()
    let wanted = items ?? 0..<sampler.samplesPerEpoch
    let b = sampler.layout.batchSize
    let batches = (wanted.lowerBound / b)..<min(sampler.batchesPerEpoch, (wanted.upperBound + b - 1) / b)
    guard (1...maxSamples).contains(samples) else {
      throw ModelError.invalidInput(what: "samples", detail: "\(samples) outside 1...\(maxSamples)")
    }
    for index in batches where !wanted.isEmpty {
      var average = ContextAverage(contextLength: sampler.layout.contextLength)
      var last: (outputs: HeadOutputs, input: ModelInput, fields: CellFields)?
      for sample in 0..<samples {
        sampler.fill(batch, epoch: sample, index: index, threads: threads)
        let fields = setup.embeddings.fields(of: batch)
        let input = try ModelInput(
          fields: fields, embeddings: setup.embeddings.embeddings, config: model.config, on: backend,
          candidatePool: setup.classes)
        let needed = model.arenaBytes(for: input)
        if arena == nil || (arena?.capacity ?? 0) < needed {
          arena = try Arena(byteCount: needed, on: backend)
        }
        guard let arena else { continue }
        let outputs = try model.predict(input, arena: arena, backend: backend)
        if samples > 1 { average.add(outputs, targets: input.targets) }
        last = (outputs, input, fields)
      }
      guard let (outputs, input, fields) = last else { continue }
      collect(
        samples > 1 ? average.outputs(for: input.targets) : outputs, input: input, fields: fields,
        batch: batch,
        stats: setup.stats, kind: setup.kind, into: &result)
    }
    if items != nil { result.examples.removeAll { !wanted.contains($0.item) } }
    attachSeedRows(&result, setup: setup)
    logger.log(
      level: items == nil ? .info : .debug, "predicted",
      metadata: [
        "task": "\(setup.task)", "seeds": "\(setup.seeds.name)", "examples": "\(result.examples.count)",
      ])
    return result
  }

  /// Seed rows by example (split) or by position (explicit seeds, whose example and label are unknown).
  private static func attachSeedRows(_ result: inout TaskPredictions, setup: TaskPredictionSetup) {
    let seedRows = setup.seedRows
    for k in result.examples.indices {
      let id = Int(result.examples[k].example)
      guard id >= 0, id < seedRows.count else { continue }
      result.examples[k].seedRow = Int64(seedRows[id])
      if setup.isExplicit {
        result.examples[k].example = -1
        result.examples[k].label = .nan
        result.examples[k].rank = 0
      }
    }
  }

  private static func collect(
    _ outputs: HeadOutputs, input: ModelInput, fields: CellFields, batch: Batch, stats: ColumnStatistics,
    kind: CellType, into result: inout TaskPredictions
  ) {
    let seeds = batch.array(.seedId, as: Int64.self)
    let times = batch.array(.seedTime, as: Int64.self)
    let databases = batch.array(.database, as: Int32.self)
    let l = fields.contextLength
    let t = input.targets
    let first = batch.index * batch.batchSize
    func example(_ cell: Int32) -> (Int64, Int64)? {
      let b = Int(cell) / l
      guard b < seeds.count, databases[b] >= 0 else { return nil }
      return (seeds[b], times[b])
    }
    func item(_ cell: Int32) -> Int { first + Int(cell) / l }
    for (k, cell) in t.regressionCells.enumerated() where k < outputs.regression.count {
      guard let (id, time) = example(cell) else { continue }
      result.examples.append(
        ExamplePrediction(
          item: item(cell), example: id, time: time, prediction: stats.unscale(Double(outputs.regression[k])),
          label: stats.unscale(Double(t.regressionTargets[k])), rank: 0))
    }
    for (k, cell) in t.binaryCells.enumerated() where k < outputs.binary.count {
      guard let (id, time) = example(cell) else { continue }
      let probability = 1 / (1 + Foundation.exp(-Double(outputs.binary[k])))
      result.examples.append(
        ExamplePrediction(
          item: item(cell), example: id, time: time, prediction: probability,
          label: Double(t.binaryTargets[k]), rank: 0))
    }
    let m = outputs.candidateCount
    for (k, cell) in t.contrastiveCells.enumerated() where m > 0 && (k + 1) * m <= outputs.contrastive.count {
      guard let (id, time) = example(cell) else { continue }
      let row = outputs.contrastive[(k * m)..<((k + 1) * m)]
      let truth = Int(t.contrastiveTargets[k])
      let best = row.indices.max { row[$0] < row[$1] }.map { $0 - k * m } ?? 0
      let rank = 1 + row.filter { $0 > row[k * m + truth] }.count
      result.examples.append(
        ExamplePrediction(
          item: item(cell), example: id, time: time, prediction: Double(t.candidateIds[best]),
          label: Double(t.candidateIds[truth]),
          rank: rank))
    }
  }
}
