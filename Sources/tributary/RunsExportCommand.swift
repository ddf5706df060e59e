// `tributary runs export --out DIR`: runs.parquet and metrics.parquet (long format) for pandas, DuckDB, Polars.
import ArgumentParser
import Experiments
import Foundation

struct RunsExport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write runs.parquet and metrics.parquet (run_id, step, split, metric, value).")
  @OptionGroup var store: StoreOptions
  @Option(help: "Output directory (created if needed).") var out: String

  func run() throws {
    let summary = try store.open().export(to: out)
    try store.emit(summary) {
      "wrote \(summary.runsFile) (\(summary.runs) runs) and \(summary.metricsFile) (\(summary.metricRows) rows)"
    }
  }
}
