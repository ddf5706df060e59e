// Metrics against values worked by hand from their definitions (the classic scikit-learn documentation example
// for AUROC and average precision), and checkpoints that round-trip every parameter.
import Foundation
import Model
import Tensor
import Testing
import Training

@Test func classificationMetricsMatchWorkedExamples() {
  // sklearn docs: roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75; average_precision_score = 0.8333...
  let scores = [0.1, 0.4, 0.35, 0.8]
  let labels = [0.0, 0, 1, 1]
  #expect(abs(Metrics.auroc(scores: scores, labels: labels) - 0.75) < 1e-12)
  #expect(abs(Metrics.averagePrecision(scores: scores, labels: labels) - 5.0 / 6) < 1e-12)
  // Ties count one half.
  #expect(abs(Metrics.auroc(scores: [0.5, 0.5], labels: [0, 1]) - 0.5) < 1e-12)
  #expect(Metrics.auroc(scores: [0.1, 0.2], labels: [1, 1]).isNaN)
}

@Test func regressionAndRankingMetricsMatchDefinitions() {
  let labels = [1.0, 2, 3, 4]
  let predictions = [1.5, 2, 2, 5]
  #expect(abs(Metrics.meanAbsoluteError(predictions: predictions, labels: labels) - 0.625) < 1e-12)
  // SS_res = 0.25 + 0 + 1 + 1 = 2.25; SS_tot = 5.
  #expect(abs(Metrics.rSquared(predictions: predictions, labels: labels) - (1 - 2.25 / 5)) < 1e-12)
  let ranking = Metrics.ranking(
    scores: [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5]], truth: [1, 2, 1])
  #expect(abs(ranking.accuracy - 1.0 / 3) < 1e-12)
  #expect(abs(ranking.mrr - (1 + 1.0 / 3 + 0.5) / 3) < 1e-12)
}

@Test func checkpointRoundTripsEveryParameter() throws {
  let cpu = CPUBackend(threads: 1)
  let model = ModelConfig(width: 8, blocks: 1, heads: 2, ffnWidth: 8, contextLength: 4, embeddingWidth: 4)
  let config = TrainingConfig(model: model, steps: 10, warmupSteps: 1)
  let a = try RelationalTransformer(config: model, seed: 1, on: cpu)
  let b = try RelationalTransformer(config: model, seed: 2, on: cpu)
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "rt-ckpt-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: directory) }
  try Checkpoint.save(a, config: config, step: 7, to: directory, backend: cpu)
  #expect(try Checkpoint.load(into: b, from: directory, backend: cpu) == 7)
  #expect(try Checkpoint.config(at: directory) == config)
  for (p, q) in zip(a.parameters, b.parameters) {
    #expect(try cpu.copyOut(p.value) == cpu.copyOut(q.value), "\(p.name)")
  }
  let other = try RelationalTransformer(
    config: ModelConfig(width: 16, blocks: 1, heads: 2, ffnWidth: 8, contextLength: 4, embeddingWidth: 4),
    seed: 3,
    on: cpu)
  #expect(throws: ModelError.self) { try Checkpoint.load(into: other, from: directory, backend: cpu) }
}

@Test func configurationsAreValidatedAtTheEdge() {
  #expect(throws: ModelError.self) { try ModelConfig(width: 10, heads: 3).validate() }
  #expect(throws: ModelError.self) { try ModelConfig(blocks: 0).validate() }
  #expect(throws: ModelError.self) {
    try TrainingConfig(model: ModelConfig(), steps: 10, warmupSteps: 20).validate()
  }
  #expect(throws: Never.self) { try ModelConfig.rtSize.validate() }
}
