// `tributary predict RUN_DIR/checkpoint --db DIR --task T [--split test] --out FILE.parquet`: one row per example
// of the split, the same columns as a `predict` job's result (PredictionOutput: item, example, the seed row's
// keys, seed_row, time, prediction, label, rank), recorded in the experiment store. With `--seeds FILE.parquet` or
// `--key K` (and `--time` for entity tasks): rows of the task's seed table that are no example of it, at a given
// time, predicted as the task predicts its examples (labels unknown, so no metrics).
import ArgumentParser
import Experiments
import Foundation
import JobQueue
import PredictJobs

struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict", abstract: "One prediction per example of a task split, written as Parquet.")
  @OptionGroup var options: CheckpointTaskOptions
  @Option(help: "Output Parquet file.") var out: String
  @Option(
    help: ArgumentHelp(
      "Explicit seeds instead of a split: a Parquet file with a seed_row column or the seed table's key columns, and optionally a time column.",
      valueName: "file.parquet"))
  var seeds: String?
  @Option(
    name: .customLong("key"),
    help: "An explicit seed by the seed table's primary key (repeatable; a composite key as a,b).")
  var keys: [String] = []
  @Option(help: "ISO-8601 time of the explicit seeds (entity tasks), e.g. 2024-06-01.") var time: String?

  func run() throws {
    try options.recorded(.predict) { record in
      if seeds != nil || !keys.isEmpty {
        try runExplicit(record)
        return
      }
      let (result, database) = try options.predictions()
      let keys = try ExampleKeys(database: database, task: options.task)
      try PredictionOutput.write(result, keys: keys, database: database, to: out)
      try record.finish(
        status: .succeeded, finalMetrics: result.metrics(), checkpoint: options.checkpoint, outputs: [out])
      print("wrote \(result.examples.count) predictions to \(out)")
    }
  }

  private func runExplicit(_ record: Run) throws {
    guard options.device == .cpu else {
      throw ValidationError("explicit seeds (--seeds, --key) run on the CPU for now: leave out --device")
    }
    let absolute = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
    let input = PredictInput(
      checkpoint: absolute(options.checkpoint), database: absolute(options.database), task: options.task,
      seeds: keys.isEmpty
        ? nil : keys.map { SeedInput(key: $0.split(separator: ",").map { .string(String($0)) }) },
      seedsPath: seeds.map(absolute), time: time, samples: options.samples)
    let loaded = try LoadedModels.loadNow(
      checkpoint: input.checkpoint, database: input.database, task: options.task, threads: options.threads)
    let result = try loaded.predict(explicit: input, batchSize: options.batchSize, threads: options.threads)
    try PredictionOutput.write(result, keys: loaded.keys, database: loaded.database, to: out)
    try record.finish(status: .succeeded, checkpoint: options.checkpoint, outputs: [out])
    print("wrote \(result.examples.count) predictions to \(out)")
  }
}
