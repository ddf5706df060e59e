// One optimization step of the relational transformer: forward, hand-written backward, (data parallel: gradients
// averaged over the replicas), global-norm clipping, AdamW at the scheduled rate, on any backend (the optimizer
// verbs are the backend's). The arena grows to the largest batch seen (a step allocates nothing after it).
// Refuses: inputs built for another model configuration (the model checks them).
import Foundation
import Logging
import Model
import Tensor

/// What one step did.
public struct StepReport: Sendable, Codable {
  public var step: Int
  public var losses: LossBreakdown
  public var gradientNorm: Float
  public var learningRate: Float
  public var cells: Int
}

public final class Trainer {
  public let config: TrainingConfig
  public let model: RelationalTransformer
  public let backend: any Backend
  /// The replicas this one averages gradients with (a group of one: none).
  public let communicator: any Communicator
  private var optimizer: AdamW
  private let buckets: GradientBuckets?
  private var arena: Arena?
  public private(set) var step = 0

  /// With a `communicator` of several ranks the replicas start from rank 0's weights (a collective: every rank
  /// constructs its trainer).
  public init(
    config: TrainingConfig, backend: any Backend, model: RelationalTransformer? = nil,
    communicator: any Communicator = SoloCommunicator()
  ) throws {
    try config.validate()
    self.config = config
    self.backend = backend
    self.communicator = communicator
    let model = try model ?? RelationalTransformer(config: config.model, seed: config.seed, on: backend)
    self.model = model
    optimizer = try AdamW(
      parameters: model.parameters, config: AdamWConfig(weightDecay: config.weightDecay), on: backend)
    if communicator.worldSize > 1 {
      buckets = try GradientBuckets(gradients: model.parameters.map(\.gradient), on: backend)
      try model.parameters.broadcastValues(with: communicator, on: backend)
    } else {
      buckets = nil
    }
  }

  /// The arena for `input`, grown when needed.
  public func arena(for input: ModelInput) throws -> Arena {
    let needed = model.arenaBytes(for: input)
    if let arena, arena.capacity >= needed { return arena }
    let grown = try Arena(byteCount: needed, on: backend)
    arena = grown
    return grown
  }

  /// Forward, backward, (average the gradients over the replicas), clip, update. With several replicas the
  /// losses reported are this rank's.
  public func train(on input: ModelInput) throws -> StepReport {
    let losses = try model.lossAndGradients(input, arena: try arena(for: input), backend: backend)
    guard losses.total.isFinite else {
      throw ModelError.invalidInput(what: "step \(step)", detail: "loss is \(losses.total)")
    }
    try buckets?.allReduceMean(with: communicator, on: backend)
    let norm = try GradientClipping.clip(model.parameters, maxNorm: config.clipNorm, on: backend)
    let rate = config.schedule.rate(at: step)
    try optimizer.update(model.parameters, learningRate: rate, on: backend)
    step += 1
    return StepReport(
      step: step, losses: losses, gradientNorm: norm, learningRate: rate, cells: input.targets.cellTotal)
  }

  /// Losses without updating (held-out evaluation).
  public func evaluate(_ input: ModelInput) throws -> LossBreakdown {
    try model.loss(input, arena: try arena(for: input), backend: backend)
  }

  /// Writes weights, optimizer moments and `config` to a checkpoint folder.
  public func saveCheckpoint(config: TrainingConfig, to directory: URL) throws {
    try Checkpoint.save(model, config: config, step: step, to: directory, backend: backend)
    try Checkpoint.saveOptimizer(optimizer, model: model, step: step, to: directory, backend: backend)
  }

  /// Continues from a checkpoint of this run: weights, step count and, when saved at the same step, AdamW's
  /// moments. Returns whether the moments were restored (older checkpoints have none).
  @discardableResult
  public func resume(from directory: URL) throws -> Bool {
    step = try Checkpoint.load(into: model, from: directory, backend: backend)
    return try Checkpoint.loadOptimizer(
      into: &optimizer, model: model, step: step, from: directory, backend: backend)
  }
}

extension LossTargets {
  /// Number of loss-carrying cells.
  public var cellTotal: Int { regressionCells.count + binaryCells.count + contrastiveCells.count }
}
