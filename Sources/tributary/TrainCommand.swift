// `tributary train --db DIR... [--task T] [--config FILE] --out RUN_DIR [--steps N] [--resume] [--init CKPT]
// [--device cpu|cuda|auto]`:
// pretraining (masked cells) on a mixture of processed databases, or fine-tuning on a task of the first one.
// Every run is recorded in the experiment store (metrics per step, final losses, checkpoint).
import ArgumentParser
import Experiments
import Foundation
import Model
import Training

struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train the relational transformer (pretrain on a mixture, or fine-tune on a task).")

  @Option(name: .customLong("db"), help: "A processed database (repeat for a mixture).") var databases:
    [String]
  @Option(help: "Fine-tune on this task of the first database (default: pretrain on masked cells).") var task:
    String?
  @Option(help: "Training configuration JSON (TrainingConfig; see docs/model.md).") var config: String?
  @Option(help: "Run folder: checkpoint/, metrics.jsonl.") var out: String
  @Option(help: "Override the number of steps.") var steps: Int?
  @Flag(help: "Continue from RUN_DIR/checkpoint.") var resume = false
  @Option(name: .customLong("init"), help: "Start from this checkpoint folder's weights.") var initial:
    String?
  @Option(help: "Experiment store home (default $TRIBUTARY_HOME).") var home: String?
  @Option(help: "Run name in the experiment store.") var name: String?
  @Option(help: "Where the engine runs: cpu, cuda (GPU 0) or auto (cuda when found).") var device =
    DeviceChoice.cpu
  @Option(help: "GPUs to train on, one process each, gradients all-reduced over NCCL (needs --device cuda).")
  var devices = 1

  func validate() throws {
    guard devices >= 1 else { throw ValidationError("--devices must be at least 1") }
    guard devices == 1 || device == .cuda else {
      throw ValidationError("--devices \(devices) needs --device cuda")
    }
  }

  func run() throws {
    let rank = try RankEnvironment.current()
    if devices > 1, rank == nil {
      let status = try RankLauncher.launch(
        devices: devices, arguments: Array(CommandLine.arguments.dropFirst()))
      if status != 0 { throw ExitCode(status) }
      return
    }
    var trainingConfig =
      try config.map {
        try JSONDecoder().decode(TrainingConfig.self, from: Data(contentsOf: URL(fileURLWithPath: $0)))
      }
      ?? TrainingConfig(model: ModelConfig(width: 64, blocks: 2, heads: 4, ffnWidth: 128, contextLength: 128))
    if let steps { trainingConfig.steps = steps }
    if trainingConfig.warmupSteps > trainingConfig.steps {
      trainingConfig.warmupSteps = trainingConfig.steps / 10
    }
    try trainingConfig.validate()
    let plan = TrainingPlan(
      databases: databases.map { URL(fileURLWithPath: $0) }, task: task, config: trainingConfig,
      runDirectory: URL(fileURLWithPath: out), resume: resume,
      initialCheckpoint: initial.map { URL(fileURLWithPath: $0) })
    if let rank {
      let engine = try rank.engine()
      guard rank.rank == 0 else {
        try TrainingLoop.run(plan, backend: engine.backend, communicator: engine.communicator) { _, _ in }
        return
      }
      try record(plan, trainingConfig) {
        try TrainingLoop.run(plan, backend: engine.backend, communicator: engine.communicator, onStep: $0)
      }
      return
    }
    let backend = try device.backend(threads: trainingConfig.threads)
    try record(plan, trainingConfig) { try TrainingLoop.run(plan, backend: backend, onStep: $0) }
  }

  /// Runs `train` with the experiment store recording every step, the outcome and the checkpoint.
  private func record(
    _ plan: TrainingPlan, _ trainingConfig: TrainingConfig,
    _ train: ((StepReport, Double) throws -> Void) throws -> StepReport?
  ) throws {
    let store = try ExperimentStoreAccess.open(home: home)
    let record = try store.startRun(
      kind: .train, name: name ?? URL(fileURLWithPath: out).lastPathComponent, config: trainingConfig,
      databases: databases.map { URL(fileURLWithPath: $0).lastPathComponent }, tasks: task.map { [$0] } ?? [],
      threads: trainingConfig.threads)
    do {
      let last = try train { report, cellsPerSecond in
        var values: [String: Double] = [
          "loss": Double(report.losses.total), "lr": Double(report.learningRate),
          "grad_norm": Double(report.gradientNorm), "cells_per_s": cellsPerSecond,
        ]
        if let v = report.losses.regression { values["loss/regression"] = Double(v) }
        if let v = report.losses.binary { values["loss/binary"] = Double(v) }
        if let v = report.losses.contrastive { values["loss/contrastive"] = Double(v) }
        try record.logMetrics(step: report.step, values)
      }
      try record.finish(
        status: .succeeded, finalMetrics: ["loss": Double(last?.losses.total ?? .nan)],
        checkpoint: plan.checkpointDirectory.path,
        outputs: [plan.runDirectory.appendingPathComponent("metrics.jsonl").path])
      print("trained \(trainingConfig.steps) steps: \(plan.checkpointDirectory.path) (run \(record.id))")
    } catch {
      try? record.finish(status: .failed, failure: "\(error)")
      throw error
    }
  }
}

/// The experiment store at `--home` or `$TRIBUTARY_HOME`.
enum ExperimentStoreAccess {
  static func open(home: String?) throws -> ExperimentStore {
    let location = home.map { StoreLocation(home: URL(fileURLWithPath: $0)) } ?? .fromEnvironment()
    return try ExperimentStore.open(location, options: .init(toolVersion: TributaryVersion.string))
  }
}
