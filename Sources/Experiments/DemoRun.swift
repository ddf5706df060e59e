// A synthetic training run for demonstrations and tests until `tributary train` exists: it records a
// plausible, deterministic (seeded) loss curve, learning-rate schedule, throughput, periodic validation
// and final test metrics through the same API a real run uses. Nothing here trains anything.
import Foundation

public struct DemoConfig: Codable, Sendable, Equatable {
  public var learningRate: Double
  public var batchSize: Int
  public var steps: Int
  public var seed: UInt64
  public var dModel: Int
  public var layers: Int
  public var mixture: String

  public init(
    learningRate: Double = 1e-3, batchSize: Int = 32, steps: Int = 200, seed: UInt64 = 1, dModel: Int = 256,
    layers: Int = 4, mixture: String = "f1"
  ) {
    self.learningRate = learningRate
    self.batchSize = batchSize
    self.steps = steps
    self.seed = seed
    self.dModel = dModel
    self.layers = layers
    self.mixture = mixture
  }

  enum CodingKeys: String, CodingKey {
    case steps, seed, layers, mixture
    case learningRate = "learning_rate"
    case batchSize = "batch_size"
    case dModel = "d_model"
  }
}

public enum DemoRun {
  /// Records a finished demo run; `evaluateEvery` steps a validation evaluation is logged.
  @discardableResult
  public static func record(
    in store: ExperimentStore, name: String, config: DemoConfig, databases: [String] = ["f1"],
    tasks: [String] = ["driver-dnf"], tags: [String] = [], evaluateEvery: Int = 50
  ) throws -> Run {
    let run = try store.startRun(
      kind: .demo, name: name, config: config, databases: databases, tasks: tasks, tags: tags)
    var random = SplitMix64(seed: config.seed)
    let speed = config.learningRate * 3000 * (1 + Double(config.layers) / 8)
    let floor = 0.25 - min(0.1, Double(config.dModel) / 5120)
    var loss = 0.0
    for step in 1...max(1, config.steps) {
      let progress = Double(step) / Double(max(1, config.steps))
      loss = floor + 1.2 * exp(-speed * progress) + 0.02 * (random.nextUnit() - 0.5)
      let warmup = min(1, Double(step) / 20)
      try run.logMetrics(
        step: step,
        [
          "loss/numerical": loss, "loss/categorical": loss * 1.4,
          "lr": config.learningRate * warmup * (1 - progress / 2),
          "cells_per_s": 52_000 / Double(config.layers) + 500 * random.nextUnit(),
        ])
      if evaluateEvery > 0, step % evaluateEvery == 0 {
        try run.logEvaluation(split: "validation", step: step, metrics: metrics(loss: loss, random: &random))
      }
    }
    try run.finish(
      status: .succeeded, finalMetrics: metrics(loss: loss, random: &random).mapKeys { "test/\($0)" })
    return run
  }

  private static func metrics(loss: Double, random: inout SplitMix64) -> [String: Double] {
    let auroc = min(0.99, 0.95 - 0.5 * (loss - 0.15) + 0.005 * random.nextUnit())
    return ["auroc": auroc, "loss": loss]
  }
}

extension Dictionary {
  func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] {
    Dictionary<T, Value>(map { (transform($0.key), $0.value) }) { first, _ in first }
  }
}

/// SplitMix64: a tiny seeded generator so demo curves are the same on every machine.
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1).
  mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
