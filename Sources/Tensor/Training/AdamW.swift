// AdamW (decoupled weight decay, as torch.optim.AdamW), global-norm gradient clipping (as
// torch.nn.utils.clip_grad_norm_), and the learning-rate schedule: linear warm-up then cosine decay.
// Runs on host memory through the worker pool; a device backend brings its own update kernel.
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

  /// One update of every parameter from its gradient at `learningRate`.
  public mutating func update(_ parameters: [Parameter], learningRate: Float, pool: WorkerPool) throws {
    guard parameters.count == moments.count else {
      throw TensorError.invalidArgument(
        what: "AdamW.update", detail: "\(parameters.count) parameters, state for \(moments.count)")
    }
    step += 1
    let c = config
    let correction1 = 1 - Float(Foundation.pow(Double(c.beta1), Double(step)))
    let correction2 = 1 - Float(Foundation.pow(Double(c.beta2), Double(step)))
    for (parameter, moment) in zip(parameters, moments) {
      let decay = parameter.decays ? 1 - learningRate * c.weightDecay : 1
      try withHost([parameter.value, parameter.gradient, moment.m, moment.v]) { p in
        let (w, g, m, v) = (try p.at(0), try p.at(1), try p.at(2), try p.at(3))
        pool.forEachChunk(parameter.value.count, grain: 16384) { range in
          for i in range {
            m[i] = c.beta1 * m[i] + (1 - c.beta1) * g[i]
            v[i] = c.beta2 * v[i] + (1 - c.beta2) * g[i] * g[i]
            let update = (m[i] / correction1) / ((v[i] / correction2).squareRoot() + c.epsilon)
            w[i] = w[i] * decay - learningRate * update
          }
        }
      }
    }
  }
}

/// Gradient clipping by the global L2 norm over all parameters.
public enum GradientClipping {
  /// Scales every gradient by maxNorm / (norm + 1e-6) when the global norm exceeds `maxNorm`.
  /// Returns the norm before clipping (log it: spikes show instability).
  @discardableResult
  public static func clip(_ parameters: [Parameter], maxNorm: Float, pool: WorkerPool) throws -> Float {
    var sumSquares: Double = 0
    for parameter in parameters {
      sumSquares += try parameter.gradient.withUnsafeFloats { g in
        guard let base = g.baseAddress else { return 0 }
        return Double(SIMDMath.dot(base, base, g.count))
      }
    }
    let norm = Float(sumSquares.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return norm }
    for parameter in parameters {
      try withHost([parameter.gradient]) { p in
        let g = try p.at(0)
        pool.forEachChunk(parameter.gradient.count, grain: 16384) { range in
          for i in range { g[i] *= coefficient }
        }
      }
    }
    return norm
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
