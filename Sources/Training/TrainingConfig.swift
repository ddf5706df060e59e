// How a run trains: steps, batch size, optimizer and schedule, clipping, seed, checkpoint interval. Codable
// (written beside each checkpoint and read from `tributary train --config`), validated at the edge.
// Refuses: non-positive steps, batch size or learning rate; warm-up longer than the run.
import Model
import Tensor

public struct TrainingConfig: Codable, Sendable, Equatable {
  public var model: ModelConfig
  public var steps: Int
  public var batchSize: Int
  public var peakLearningRate: Float
  public var minimumLearningRate: Float
  public var warmupSteps: Int
  public var weightDecay: Float
  public var clipNorm: Float
  public var seed: UInt64
  public var checkpointEvery: Int
  public var threads: Int

  public init(
    model: ModelConfig, steps: Int = 1000, batchSize: Int = 32, peakLearningRate: Float = 1e-3,
    minimumLearningRate: Float = 1e-5, warmupSteps: Int = 100, weightDecay: Float = 0.01, clipNorm: Float = 1,
    seed: UInt64 = 0, checkpointEvery: Int = 500, threads: Int = 2
  ) {
    (self.model, self.steps, self.batchSize) = (model, steps, batchSize)
    (self.peakLearningRate, self.minimumLearningRate, self.warmupSteps) =
      (peakLearningRate, minimumLearningRate, warmupSteps)
    (self.weightDecay, self.clipNorm, self.seed) = (weightDecay, clipNorm, seed)
    (self.checkpointEvery, self.threads) = (checkpointEvery, threads)
  }

  public func validate() throws {
    try model.validate()
    guard steps > 0, batchSize > 0, peakLearningRate > 0, minimumLearningRate >= 0, clipNorm > 0, threads > 0
    else {
      throw ModelError.invalidConfig(
        "steps, batchSize, peakLearningRate, clipNorm and threads must be positive (steps \(steps), "
          + "batch \(batchSize), lr \(peakLearningRate), clip \(clipNorm), threads \(threads))")
    }
    guard warmupSteps >= 0, warmupSteps <= steps, checkpointEvery > 0 else {
      throw ModelError.invalidConfig(
        "warmupSteps \(warmupSteps) must lie in 0...steps (\(steps)); checkpointEvery \(checkpointEvery) > 0")
    }
  }

  public var schedule: LearningRateSchedule {
    LearningRateSchedule(
      peak: peakLearningRate, minimum: minimumLearningRate, warmupSteps: warmupSteps, totalSteps: steps)
  }
}
