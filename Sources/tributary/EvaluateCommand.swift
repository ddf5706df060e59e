// `tributary evaluate RUN_DIR/checkpoint --db DIR --task T [--split test]`: the task's metrics on one split
// (AUROC and average precision; MAE and R^2 in original units; accuracy and MRR), recorded in the experiment store.
// `tributary predict` (PredictCommand.swift) shares the checkpoint and task options.
import ArgumentParser
import DatabaseSpec
import Experiments
import Foundation
import Model
import Store
import Tensor
import Training

struct CheckpointTaskOptions: ParsableArguments {
  @Argument(help: "A checkpoint folder (RUN_DIR/checkpoint).") var checkpoint: String
  @Option(name: .customLong("db"), help: "A processed database.") var database: String
  @Option(help: "The task to evaluate.") var task: String
  @Option(help: "Split: train, validation or test.") var split: Split = .test
  @Option(help: "Contexts per forward pass.") var batchSize = 16
  @Option(help: "Threads.") var threads = 2
  @Option(help: "Sampled contexts averaged per example (which children a context holds is random).")
  var samples = 1
  @Option(help: "Where the model runs: cpu, cuda (GPU 0) or auto (cuda when found).") var device =
    DeviceChoice.cpu
  @Option(help: "Experiment store home (default $TRIBUTARY_HOME).") var home: String?

  func predictions() throws -> (TaskPredictions, ProcessedDatabase) {
    let directory = URL(fileURLWithPath: checkpoint)
    let config = try Checkpoint.config(at: directory)
    let backend = try device.backend(threads: threads)
    let model = try RelationalTransformer(config: config.model, seed: 0, on: backend)
    try Checkpoint.load(into: model, from: directory, backend: backend)
    let db = try ProcessedDatabase(directory: URL(fileURLWithPath: database))
    let result = try TaskPredictor.run(
      model: model, database: db, task: task, split: split, batchSize: batchSize, backend: backend,
      threads: threads, samples: samples)
    return (result, db)
  }

  /// Runs `body` as one run of the experiment store (its kind, named after the task), marking the run failed
  /// when `body` throws.
  func recorded(_ kind: RunKind, _ body: (Run) throws -> Void) throws {
    let store = try ExperimentStoreAccess.open(home: home)
    let record = try store.startRun(
      kind: kind, name: "\(kind.rawValue)-\(task)",
      config: ["checkpoint": checkpoint, "split": "\(split)", "samples": "\(samples)"],
      databases: [URL(fileURLWithPath: database).lastPathComponent], tasks: [task])
    do {
      try body(record)
    } catch {
      try? record.finish(status: .failed, failure: "\(error)")
      throw error
    }
  }
}

struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate", abstract: "Metrics of a checkpoint on one split of a task.")
  @OptionGroup var options: CheckpointTaskOptions

  func run() throws {
    try options.recorded(.evaluate) { record in
      let (result, _) = try options.predictions()
      var metrics = result.metrics()
      metrics["examples"] = Double(result.examples.count)
      try record.logEvaluation(split: "\(options.split)", metrics: metrics)
      try record.finish(status: .succeeded, finalMetrics: metrics, checkpoint: options.checkpoint)
      for (key, value) in metrics.sorted(by: { $0.key < $1.key }) { print("\(key)\t\(value)") }
    }
  }
}
