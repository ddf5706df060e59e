// `tributary predict RUN_DIR/checkpoint --db DIR --task T [--split test] --out FILE.parquet`: one row per example
// of the split, the same columns as a `predict` job's result (PredictionOutput: item, example, the seed row's
// keys, seed_row, time, prediction, label, rank), recorded in the experiment store.
import ArgumentParser
import Foundation
import PredictJobs

struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict", abstract: "One prediction per example of a task split, written as Parquet.")
  @OptionGroup var options: CheckpointTaskOptions
  @Option(help: "Output Parquet file.") var out: String

  func run() throws {
    try options.recorded(.predict) { record in
      let (result, database) = try options.predictions()
      let keys = try ExampleKeys(database: database, task: options.task)
      try PredictionOutput.write(result, keys: keys, database: database, to: out)
      try record.finish(
        status: .succeeded, finalMetrics: result.metrics(), checkpoint: options.checkpoint, outputs: [out])
      print("wrote \(result.examples.count) predictions to \(out)")
    }
  }
}
