// `runs export`: the store as two Parquet files for pandas, DuckDB or Polars. `runs.parquet` has one row
// per run (the columns of the `runs` view, times as UTC microsecond timestamps, JSON fields as strings);
// `metrics.parquet` is long format (run_id, step, split, metric, value): training metrics with a null split,
// evaluations with their split, final metrics with split "final" and a null step. Written with our Parquet
// writer (snappy); everything is materialised in memory first, which suits stores of up to a few million
// metric rows.
import Foundation
import GRDB
import Parquet

extension ExperimentStore {
  public struct ExportSummary: Codable, Sendable, Equatable {
    public var runsFile: String
    public var metricsFile: String
    public var runs: Int
    public var metricRows: Int

    enum CodingKeys: String, CodingKey {
      case runs
      case runsFile = "runs_file"
      case metricsFile = "metrics_file"
      case metricRows = "metric_rows"
    }
  }

  public func export(to directory: String) throws -> ExportSummary {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw ExperimentsError.badFile(path: directory, reason: "cannot create the directory: \(error)")
    }
    let runsFile = directory + "/runs.parquet"
    let metricsFile = directory + "/metrics.parquet"
    let runs = try writeTable(ExportTables.runs, to: runsFile)
    let metrics = try writeTable(ExportTables.metrics, to: metricsFile)
    return ExportSummary(runsFile: runsFile, metricsFile: metricsFile, runs: runs, metricRows: metrics)
  }

  private func writeTable(_ table: ExportTable, to path: String) throws -> Int {
    let rows = try read { db in try Row.fetchAll(db, sql: table.sql) }
    let columns = try table.columns.enumerated().map { index, column in
      try column.data(rows.map { $0[index] as DatabaseValue }, index: index, file: path)
    }
    do {
      let writer = try ParquetWriter(path: path, schema: columns.map(\.descriptor.element))
      try writer.write(columns)
      try writer.close()
    } catch {
      throw ExperimentsError.badFile(path: path, reason: "Parquet writer: \(error)")
    }
    return rows.count
  }
}

struct ExportTable {
  var sql: String
  var columns: [ExportColumn]
}

/// One output column: its Parquet type and how a SQLite value becomes it.
struct ExportColumn {
  enum Kind { case string, int64, double, timestampMicros }
  var name: String
  var kind: Kind
  var optional: Bool

  func data(_ values: [DatabaseValue], index: Int, file: String) throws -> ColumnData {
    var validity = Bitmap()
    let element: SchemaElement
    let columnValues: ColumnValues
    switch kind {
    case .string:
      var strings = ByteArrayValues()
      for value in values {
        let text = String.fromDatabaseValue(value)
        validity.append(text != nil)
        strings.data.append(contentsOf: (text ?? "").utf8)
        strings.offsets.append(strings.data.count)
      }
      element = .leaf(name, .byteArray, optional: optional, logicalType: .string)
      columnValues = .byteArray(strings)
    case .int64, .timestampMicros:
      let numbers = values.map { Int64.fromDatabaseValue($0) }
      numbers.forEach { validity.append($0 != nil) }
      element = .leaf(
        name, .int64, optional: optional,
        logicalType: kind == .int64 ? nil : .timestamp(isAdjustedToUTC: true, unit: .micros))
      columnValues = .int64(numbers.map { $0 ?? 0 })
    case .double:
      let numbers = values.map { Double.fromDatabaseValue($0) }
      numbers.forEach { validity.append($0 != nil) }
      element = .leaf(name, .double, optional: optional)
      columnValues = .double(numbers.map { $0 ?? 0 })
    }
    guard optional || validity.setCount == validity.count else {
      throw ExperimentsError.badFile(path: file, reason: "column \(name) has nulls but is required")
    }
    let descriptor = ColumnDescriptor(
      index: index, path: [name], element: element, maxDefinitionLevel: optional ? 1 : 0,
      maxRepetitionLevel: 0)
    return ColumnData(descriptor: descriptor, values: columnValues, validity: optional ? validity : nil)
  }
}

enum ExportTables {
  /// ISO-8601 text to microseconds since the epoch (the store keeps milliseconds).
  private static func micros(_ column: String) -> String {
    "CAST(round((julianday(\(column)) - 2440587.5) * 86400000.0) AS INTEGER) * 1000"
  }

  static let runs = ExportTable(
    sql: """
      SELECT run_id, name, kind, status, \(micros("started_at")), \(micros("ended_at")), duration_s, host, pid,
        tool_version, git_commit, config, databases, tasks, hardware, cpu_model, threads, gpu, checkpoint,
        outputs, failure, tags, final_metrics
      FROM runs ORDER BY started_at, run_id
      """,
    columns: [
      .init(name: "run_id", kind: .string, optional: false),
      .init(name: "name", kind: .string, optional: false),
      .init(name: "kind", kind: .string, optional: false),
      .init(name: "status", kind: .string, optional: false),
      .init(name: "started_at", kind: .timestampMicros, optional: false),
      .init(name: "ended_at", kind: .timestampMicros, optional: true),
      .init(name: "duration_s", kind: .double, optional: true),
      .init(name: "host", kind: .string, optional: false),
      .init(name: "pid", kind: .int64, optional: false),
      .init(name: "tool_version", kind: .string, optional: false),
      .init(name: "git_commit", kind: .string, optional: true),
      .init(name: "config", kind: .string, optional: false),
      .init(name: "databases", kind: .string, optional: false),
      .init(name: "tasks", kind: .string, optional: false),
      .init(name: "hardware", kind: .string, optional: false),
      .init(name: "cpu_model", kind: .string, optional: true),
      .init(name: "threads", kind: .int64, optional: true),
      .init(name: "gpu", kind: .string, optional: true),
      .init(name: "checkpoint", kind: .string, optional: true),
      .init(name: "outputs", kind: .string, optional: false),
      .init(name: "failure", kind: .string, optional: true),
      .init(name: "tags", kind: .string, optional: true),
      .init(name: "final_metrics", kind: .string, optional: true),
    ])

  static let metrics = ExportTable(
    sql: """
      SELECT run_id, step, NULL, name, value FROM step_metric
      UNION ALL SELECT run_id, step, split, name, value FROM evaluation_metric
      UNION ALL SELECT run_id, NULL, 'final', name, value FROM final_metric
      """,
    columns: [
      .init(name: "run_id", kind: .string, optional: false),
      .init(name: "step", kind: .int64, optional: true),
      .init(name: "split", kind: .string, optional: true),
      .init(name: "metric", kind: .string, optional: false),
      .init(name: "value", kind: .double, optional: true),
    ])
}
