// The training loop, checkpoints and task predictions end to end on the tiny fixture database (preprocessed with
// the hashing embedder, d = 8): pretraining writes metrics and a checkpoint, fine-tuning from it and resuming
// continue, and predictions map regression labels back to the task's original units.
import Foundation
import Logging
import Model
import Preprocess
import Store
import Tensor
import Testing
import TextEmbedding
import Training

private let tinyDatabase = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent()
  .appendingPathComponent("PreprocessTests/Fixtures/tiny")

func processedTiny(in root: URL) async throws -> URL {
  let out = root.appendingPathComponent("tiny")
  let preprocessor = Preprocessor(
    databaseDirectory: tinyDatabase, embedder: HashingEmbedder(dimension: 8),
    options: PreprocessOptions(threads: 2, cacheDirectory: nil), logger: Logger(label: "test"))
  _ = try await preprocessor.run(outputDirectory: out)
  return out
}

@Test func pretrainFineTuneResumeAndPredictOnTheTinyDatabase() async throws {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("rt-e2e-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: root) }
  let database = try await processedTiny(in: root)
  let model = ModelConfig(width: 16, blocks: 1, heads: 2, ffnWidth: 16, contextLength: 32, embeddingWidth: 8)
  let config = TrainingConfig(
    model: model, steps: 6, batchSize: 4, warmupSteps: 2, seed: 3, checkpointEvery: 3)
  let pretrain = TrainingPlan(
    databases: [database], task: nil, config: config, runDirectory: root.appendingPathComponent("pre"),
    resume: false)
  var steps: [Int] = []
  let last = try TrainingLoop.run(pretrain) { report, _ in steps.append(report.step) }
  #expect(steps == Array(1...6))
  #expect((last?.losses.total ?? .nan).isFinite)
  let lines = try String(
    contentsOf: pretrain.runDirectory.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
  #expect(lines.split(separator: "\n").count == 6)

  var fineTune = TrainingPlan(
    databases: [database], task: "order-amount", config: config,
    runDirectory: root.appendingPathComponent("ft"),
    resume: false, initialCheckpoint: pretrain.checkpointDirectory)
  try TrainingLoop.run(fineTune) { _, _ in }
  fineTune.config.steps = 8
  fineTune.resume = true
  var resumed: [Int] = []
  try TrainingLoop.run(fineTune) { report, _ in resumed.append(report.step) }
  #expect(resumed == [7, 8])

  let cpu = CPUBackend(threads: 2)
  let stored = try Checkpoint.config(at: fineTune.checkpointDirectory)
  let transformer = try RelationalTransformer(config: stored.model, seed: 0, on: cpu)
  #expect(try Checkpoint.load(into: transformer, from: fineTune.checkpointDirectory, backend: cpu) == 8)
  let db = try ProcessedDatabase(directory: database)
  let result = try TaskPredictor.run(
    model: transformer, database: db, task: "order-amount", split: .train, batchSize: 4, backend: cpu,
    threads: 1)
  // The tiny fixture's train split: order amounts 12.5 and 7.0 (Tests/PreprocessTests/Fixtures/tiny).
  #expect(result.examples.map(\.label).sorted() == [7.0, 12.5])
  #expect(result.examples.allSatisfy { $0.prediction.isFinite && $0.seedRow >= 0 })
  #expect(result.metrics()["mae"]?.isFinite == true)
}

@Test func resumingContinuesTheSameOptimizationAsAnUninterruptedRun() async throws {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("rt-resume-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: root) }
  let database = try await processedTiny(in: root)
  let model = ModelConfig(width: 16, blocks: 1, heads: 2, ffnWidth: 16, contextLength: 32, embeddingWidth: 8)
  let config = TrainingConfig(
    model: model, steps: 6, batchSize: 4, warmupSteps: 2, seed: 5, checkpointEvery: 3, threads: 1)
  let straight = TrainingPlan(
    databases: [database], task: nil, config: config, runDirectory: root.appendingPathComponent("straight"),
    resume: false)
  let interrupted = TrainingPlan(
    databases: [database], task: nil, config: config, runDirectory: root.appendingPathComponent("resumed"),
    resume: true)
  try FileManager.default.createDirectory(at: interrupted.runDirectory, withIntermediateDirectories: true)
  // At step 4's report the checkpoint folder still holds step 3: that copy is the "interrupted" run.
  try TrainingLoop.run(straight) { report, _ in
    if report.step == 4 {
      try FileManager.default.copyItem(at: straight.checkpointDirectory, to: interrupted.checkpointDirectory)
    }
  }
  var resumedSteps: [Int] = []
  try TrainingLoop.run(interrupted) { report, _ in resumedSteps.append(report.step) }
  #expect(resumedSteps == [4, 5, 6])
  let a = try SafeTensorsFile(
    path: straight.checkpointDirectory.appendingPathComponent("model.safetensors").path)
  let b = try SafeTensorsFile(
    path: interrupted.checkpointDirectory.appendingPathComponent("model.safetensors").path)
  let cpu = CPUBackend(threads: 1)
  for parameter in try RelationalTransformer(config: model, seed: 0, on: cpu).parameters {
    #expect(try a.floats(parameter.name) == b.floats(parameter.name), "\(parameter.name)")
  }
}
