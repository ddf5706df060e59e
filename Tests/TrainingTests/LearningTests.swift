// Proof that the model learns: a tiny configuration trained for a few hundred steps on synthetic relational
// batches must predict held-out masked cells far better than the constant baselines (predict-the-mean for
// numbers, the base rate for booleans, uniform over candidates for categories). Fails if it does not learn.
import Foundation
import Model
import Tensor
import Testing
import Training

@Test func tinyModelLearnsHeldOutMaskedCells() throws {
  let cpu = CPUBackend(threads: 2)
  let data = try SyntheticBatches()
  let model = ModelConfig(
    width: 32, blocks: 2, heads: 4, ffnWidth: 64, contextLength: 8,
    embeddingWidth: SyntheticBatches.embeddingWidth,
    temperature: 0.2)
  let config = TrainingConfig(
    model: model, steps: 300, batchSize: 24, peakLearningRate: 3e-3, minimumLearningRate: 1e-4,
    warmupSteps: 20,
    seed: 1)
  let trainer = try Trainer(config: config, backend: cpu)
  func input(_ seed: UInt64, mask: Int? = nil) throws -> ModelInput {
    try ModelInput(
      fields: data.batch(seed: seed, batchSize: 24, contextLength: 8, mask: mask),
      embeddings: data.embeddings,
      config: model, on: cpu)
  }
  for step in 0..<config.steps { _ = try trainer.train(on: try input(UInt64(1000 + step))) }

  // Held out: seeds never trained on, one kind of masked cell per batch.
  var regression = 0.0
  var baselineRegression = 0.0
  var binary = 0.0
  var contrastive = 0.0
  var contrastiveCandidates = 0.0
  let batches = 8
  for k in 0..<batches {
    let number = try input(UInt64(900_000 + k), mask: 0)
    regression += Double(try trainer.evaluate(number).regression ?? .nan)
    baselineRegression += huberOfMean(number.targets.regressionTargets)
    binary += Double(try trainer.evaluate(try input(UInt64(910_000 + k), mask: 1)).binary ?? .nan)
    let category = try input(UInt64(920_000 + k), mask: 2)
    contrastive += Double(try trainer.evaluate(category).contrastive ?? .nan)
    contrastiveCandidates += Double(category.targets.candidateIds.count)
  }
  let n = Double(batches)
  print(
    "held-out losses: regression \(regression / n) (mean baseline \(baselineRegression / n)), binary \(binary / n) "
      + "(base rate ~0.693), contrastive \(contrastive / n) (uniform \(log(contrastiveCandidates / n)))")
  #expect(regression < 0.2 * baselineRegression, "regression did not beat predict-the-mean by 5x")
  #expect(binary / n < 0.3, "binary loss \(binary / n) not well below ln 2")
  #expect(contrastive / n < 0.5 * log(contrastiveCandidates / n), "contrastive loss not well below uniform")
}

/// Huber (delta 1) loss of predicting the batch mean.
private func huberOfMean(_ targets: [Float]) -> Double {
  let values = targets.map(Double.init)
  let mean = values.reduce(0, +) / Double(max(values.count, 1))
  let losses = values.map { v -> Double in
    let r = abs(v - mean)
    return r <= 1 ? 0.5 * r * r : r - 0.5
  }
  return losses.reduce(0, +) / Double(max(values.count, 1))
}
