// The optimizer arithmetic on host buffers (one AdamW rule, sum of squares, scale), shared by the CPU backend and
// by the default optimizer verbs of `Backend`: backends without their own copy the tensors to the host, update them
// there with the same arithmetic, and copy them back. Correct on any backend, slow on a device; the CPU and CUDA
// backends override both verbs.
// Refuses: tensors of different element counts (a typed error names the verb and the shapes).
import Foundation

/// One AdamW step's constants and its elementwise rule.
struct AdamWMath {
  let config: AdamWConfig
  let learningRate: Float
  let correction1: Float
  let correction2: Float
  let decay: Float

  init(config: AdamWConfig, learningRate: Float, step: Int, decays: Bool) {
    self.config = config
    self.learningRate = learningRate
    correction1 = 1 - Float(Foundation.pow(Double(config.beta1), Double(step)))
    correction2 = 1 - Float(Foundation.pow(Double(config.beta2), Double(step)))
    decay = decays ? 1 - learningRate * config.weightDecay : 1
  }

  func apply(
    w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>,
    v: UnsafeMutablePointer<Float>, count: Int, pool: WorkerPool
  ) {
    let (c, rate, decay, correction1, correction2) = (config, learningRate, decay, correction1, correction2)
    pool.forEachChunk(count, grain: 16384) { range in
      for i in range {
        m[i] = c.beta1 * m[i] + (1 - c.beta1) * g[i]
        v[i] = c.beta2 * v[i] + (1 - c.beta2) * g[i] * g[i]
        let update = (m[i] / correction1) / ((v[i] / correction2).squareRoot() + c.epsilon)
        w[i] = w[i] * decay - rate * update
      }
    }
  }

  /// The rule on tensors in host memory.
  func applyOnHost(_ value: Tensor, _ gradient: Tensor, _ m: Tensor, _ v: Tensor, pool: WorkerPool) throws {
    try Self.checkCounts(value, gradient, m, v)
    try withHost([value, gradient, m, v]) { p in
      apply(w: try p.at(0), g: try p.at(1), m: try p.at(2), v: try p.at(3), count: value.count, pool: pool)
    }
  }

  /// Global-norm clipping of gradients in host memory: the norm summed in double, tensor by tensor in order.
  static func clipOnHost(_ gradients: [Tensor], maxNorm: Float, pool: WorkerPool) throws -> Float {
    var sumSquares: Double = 0
    for gradient in gradients {
      sumSquares += try gradient.withUnsafeFloats { sumOfSquares($0) }
    }
    let norm = Float(sumSquares.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return norm }
    for gradient in gradients {
      try withHost([gradient]) { p in scale(try p.at(0), count: gradient.count, by: coefficient, pool: pool) }
    }
    return norm
  }

  static func sumOfSquares(_ g: UnsafeBufferPointer<Float>) -> Double {
    guard let base = g.baseAddress else { return 0 }
    return Double(SIMDMath.dot(base, base, g.count))
  }

  static func scale(_ g: UnsafeMutablePointer<Float>, count: Int, by coefficient: Float, pool: WorkerPool) {
    pool.forEachChunk(count, grain: 16384) { range in
      for i in range { g[i] *= coefficient }
    }
  }

  static func checkCounts(_ value: Tensor, _ others: Tensor...) throws {
    for other in others where other.count != value.count {
      throw TensorError.shapeMismatch(what: "adamWUpdate", expected: "\(value.shape)", found: other.shape)
    }
  }
}

extension Backend {
  public func adamWUpdate(
    value: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor, config: AdamWConfig,
    learningRate: Float, step: Int, decays: Bool
  ) throws {
    try AdamWMath.checkCounts(value, gradient, firstMoment, secondMoment)
    let rule = AdamWMath(config: config, learningRate: learningRate, step: step, decays: decays)
    var (w, g, m, v) = (
      try copyOut(value), try copyOut(gradient), try copyOut(firstMoment), try copyOut(secondMoment)
    )
    w.withUnsafeMutableBufferPointer { w in
      g.withUnsafeMutableBufferPointer { g in
        m.withUnsafeMutableBufferPointer { m in
          v.withUnsafeMutableBufferPointer { v in
            guard let w = w.baseAddress, let g = g.baseAddress, let m = m.baseAddress, let v = v.baseAddress
            else { return }
            rule.apply(w: w, g: g, m: m, v: v, count: value.count, pool: WorkerPool(workers: 1))
          }
        }
      }
    }
    try copyIn(w, to: value)
    try copyIn(m, to: firstMoment)
    try copyIn(v, to: secondMoment)
  }

  public func clipGradients(_ gradients: [Tensor], maxNorm: Float) throws -> Float {
    var copies = try gradients.map { try copyOut($0) }
    let sumSquares = copies.reduce(0.0) { total, g in
      total + g.withUnsafeBufferPointer(AdamWMath.sumOfSquares)
    }
    let norm = Float(sumSquares.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return norm }
    for index in copies.indices {
      copies[index].withUnsafeMutableBufferPointer { g in
        guard let base = g.baseAddress else { return }
        AdamWMath.scale(base, count: g.count, by: coefficient, pool: WorkerPool(workers: 1))
      }
      try copyIn(copies[index], to: gradients[index])
    }
    return norm
  }
}
