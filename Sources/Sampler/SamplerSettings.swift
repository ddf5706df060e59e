// What to sample and how: the mode (a task's examples of one split, or pretraining seeds over every table of
// a mixture of databases), the context length, the per-row cap on children, the masking rate, the global seed.
// Validated once, when a Sampler is made.
import DatabaseSpec

public enum SamplingMode: Sendable, Equatable {
  /// The examples of `task` in `split`; `shuffle` visits them in a fresh order each epoch (training),
  /// otherwise in file order (evaluation, prediction).
  case task(name: String, split: Split, shuffle: Bool)
  /// Contexts for rows and times that are not examples of `task`, in the given order (prediction on demand: "this
  /// driver as of today"). Each is built as the task builds an example (hidden columns, known labels only), and
  /// its label is unknown (NaN, vocabulary -1). A seed's random choices (which children) are keyed by its row and
  /// time, so its context does not depend on the other seeds or its position.
  case seeds(task: String, seeds: [ExplicitSeed])
  /// Seeds drawn from every table with a token column, `maskFraction` of the context's signal cells masked.
  case pretrain
}

extension SamplingMode {
  /// The task of task and seeds modes.
  var taskName: String? {
    switch self {
    case .task(let name, _, _), .seeds(let name, _): name
    case .pretrain: nil
    }
  }
}

/// A seed for `SamplingMode.seeds`: a row of the task's seed table (cell task: its table; entity task: the entity
/// table), numbered as preprocessing numbers rows (the row's position in its Parquet file).
public struct ExplicitSeed: Sendable, Equatable, Hashable {
  public var row: Int
  /// Entity tasks: the prediction time in µs since the epoch (required). Cell tasks: nil or the row's own time;
  /// the row is predicted as of its own time, as the task's examples are.
  public var time: Int64?

  public init(row: Int, time: Int64? = nil) {
    self.row = row
    self.time = time
  }
}

/// How pretraining picks a seed's table within a database.
public enum TableWeighting: Sendable, Equatable {
  /// Every row equally likely (tables weighted by their row count).
  case rows
  /// Every table equally likely.
  case tables
  /// Weight per table name; tables not named get weight 0.
  case custom([String: Double])
}

public struct SamplerSettings: Sendable, Equatable {
  public var mode: SamplingMode
  public var contextLength: Int
  public var batchSize: Int
  /// Children sampled per row, uniformly without replacement, when a row has more.
  public var childCap: Int
  /// Pretraining: probability that a signal cell of the context is masked (at least one is).
  public var maskFraction: Double
  public var tableWeighting: TableWeighting
  /// Pretraining: samples per epoch (nil: the total row count of the databases).
  public var samplesPerEpoch: Int?
  public var seed: UInt64

  public init(
    mode: SamplingMode, contextLength: Int = 1024, batchSize: Int = 32, childCap: Int = 256,
    maskFraction: Double = 0.15, tableWeighting: TableWeighting = .rows, samplesPerEpoch: Int? = nil,
    seed: UInt64 = 0
  ) {
    self.mode = mode
    self.contextLength = contextLength
    self.batchSize = batchSize
    self.childCap = childCap
    self.maskFraction = maskFraction
    self.tableWeighting = tableWeighting
    self.samplesPerEpoch = samplesPerEpoch
    self.seed = seed
  }

  func validate() throws {
    guard contextLength >= 2, contextLength <= 1 << 20 else {
      throw SamplerError.invalidSettings("context length \(contextLength) outside 2...\(1 << 20)")
    }
    guard batchSize >= 1, batchSize <= 1 << 16 else {
      throw SamplerError.invalidSettings("batch size \(batchSize) outside 1...\(1 << 16)")
    }
    guard childCap >= 1 else { throw SamplerError.invalidSettings("child cap \(childCap) below 1") }
    guard maskFraction >= 0, maskFraction <= 1 else {
      throw SamplerError.invalidSettings("mask fraction \(maskFraction) outside 0...1")
    }
    if let samplesPerEpoch, samplesPerEpoch < 1 {
      throw SamplerError.invalidSettings("samples per epoch \(samplesPerEpoch) below 1")
    }
  }
}
