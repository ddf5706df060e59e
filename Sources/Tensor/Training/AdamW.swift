// AdamW (decoupled weight decay, as torch.optim.AdamW), global-norm gradient clipping (as
// torch.nn.utils.clip_grad_norm_), and the learning-rate schedule: linear warm-up then cosine decay.
// The per-parameter arithmetic is a backend verb (`Backend.adamWUpdate`, `clipGradients`): the CPU's is here, a
// device backend brings its own kernels, any other backend gets the host round trip of `AdamW+Backend.swift`.
// Refuses: per-parameter learning rates and any state beyond the two moments and the step count.
import Foundation

/// Hyperparameters of AdamW.
public struct AdamWConfig: Sendable, Codable, Equatable {
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999
  public var epsilon: Float = 1e-8
  public var weightDecay: Float = 0.01

  public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
    (self.beta1, self.beta2, self.epsilon, self.weightDecay) = (beta1, beta2, epsilon, weightDecay)
  }
}

/// AdamW state: first and second moments per parameter, and the step count.
public struct AdamW: Sendable {
  public let config: AdamWConfig
  private let moments: [(m: Tensor, v: Tensor)]
  public private(set) var step = 0

  /// Zeroed moments for `parameters` (same order as every later `update`).
  public init(parameters: [Parameter], config: AdamWConfig, on backend: some Backend) throws {
    self.config = config
    moments = try parameters.map {
      (
        try backend.allocate(shape: $0.value.shape, dtype: .f32),
        try backend.allocate(shape: $0.value.shape, dtype: .f32)
      )
    }
  }

  /// The first and second moments, in parameter order (what a checkpoint saves).
  public var state: [(m: Tensor, v: Tensor)] { moments }

  /// Continues the bias correction from `step` after a checkpoint's moments were copied into `state`.
  public mutating func restore(step: Int) { self.step = max(step, 0) }

  /// One update of every parameter from its gradient at `learningRate`, through `backend.adamWUpdate`.
  public mutating func update(_ parameters: [Parameter], learningRate: Float, on backend: some Backend) throws
  {
    guard parameters.count == moments.count else {
      throw TensorError.invalidArgument(
        what: "AdamW.update", detail: "\(parameters.count) parameters, state for \(moments.count)")
    }
    step += 1
    for (parameter, moment) in zip(parameters, moments) {
      try backend.adamWUpdate(
        value: parameter.value, gradient: parameter.gradient, firstMoment: moment.m, secondMoment: moment.v,
        config: config, learningRate: learningRate, step: step, decays: parameter.decays)
    }
  }
}

/// Gradient clipping by the global L2 norm over all parameters.
public enum GradientClipping {
  /// Scales every gradient by maxNorm / (norm + 1e-6) when the global norm exceeds `maxNorm`, through
  /// `backend.clipGradients`. Returns the norm before clipping (log it: spikes show instability).
  @discardableResult
  public static func clip(_ parameters: [Parameter], maxNorm: Float, on backend: some Backend) throws -> Float
  {
    try backend.clipGradients(parameters.map(\.gradient), maxNorm: maxNorm)
  }
}

extension CPUBackend {
  /// AdamW on host memory through the worker pool.
  public func adamWUpdate(
    value: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, config: AdamWConfig,
    learningRate: Float, step: Int, decays: Bool
  ) throws {
    let rule = AdamWMath(config: config, learningRate: learningRate, step: step, decays: decays)
    try rule.applyOnHost(value, gradient, firstMoment, secondMoment, pool: pool)
  }

  /// The norm summed in double, parameter by parameter in order (deterministic), then a pooled scale.
  public func clipGradients(_ gradients: [Tensor], maxNorm: Float) throws -> Float {
    try AdamWMath.clipOnHost(gradients, maxNorm: maxNorm, pool: pool)
  }
}

extension AdamW {
  /// The host-memory form (parameters in CPU storage, loops on `pool`): the same arithmetic as `update(on:)` on
  /// a CPU backend.
  public mutating func update(_ parameters: [Parameter], learningRate: Float, pool: WorkerPool) throws {
    guard parameters.count == state.count else {
      throw TensorError.invalidArgument(
        what: "AdamW.update", detail: "\(parameters.count) parameters, state for \(state.count)")
    }
    restore(step: step + 1)
    for (parameter, moment) in zip(parameters, state) {
      let rule = AdamWMath(config: config, learningRate: learningRate, step: step, decays: parameter.decays)
      try rule.applyOnHost(parameter.value, parameter.gradient, moment.m, moment.v, pool: pool)
    }
  }
}

extension GradientClipping {
  /// The host-memory form of `clip(_:maxNorm:on:)`.
  @discardableResult
  public static func clip(_ parameters: [Parameter], maxNorm: Float, pool: WorkerPool) throws -> Float {
    try AdamWMath.clipOnHost(parameters.map(\.gradient), maxNorm: maxNorm, pool: pool)
  }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`.
public struct LearningRateSchedule: Sendable, Codable, Equatable {
  public var peak: Float
  public var minimum: Float
  public var warmupSteps: Int
  public var totalSteps: Int

  public init(peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int) {
    (self.peak, self.minimum, self.warmupSteps, self.totalSteps) = (peak, minimum, warmupSteps, totalSteps)
  }

  /// The rate for 0-based `step`.
  public func rate(at step: Int) -> Float {
    if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
    let span = max(totalSteps - warmupSteps, 1)
    let progress = min(max(Double(step - warmupSteps) / Double(span), 0), 1)
    return minimum + Float(0.5 * (1 + Foundation.cos(Double.pi * progress))) * (peak - minimum)
  }
}
