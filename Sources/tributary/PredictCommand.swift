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
    let store = try ExperimentStoreAccess.open(home: options.home)
    let record = try store.startRun(
      kind: .predict, name: "predict-\(options.task)",
      config: ["checkpoint": options.checkpoint, "split": "\(options.split)"],
      databases: [URL(fileURLWithPath: options.database).lastPathComponent], tasks: [options.task])
    do {
      let (result, database) = try options.predictions()
      let keys = try ExampleKeys(database: database, task: options.task)
      try PredictionOutput.write(result, keys: keys, database: database, to: out)
      try record.finish(
        status: .succeeded, finalMetrics: result.metrics(), checkpoint: options.checkpoint, outputs: [out])
      print("wrote \(result.examples.count) predictions to \(out)")
    } catch {
      try? record.finish(status: .failed, failure: "\(error)")
      throw error
    }
  }
}
