// The database-wide time scale (docs/format.md, `time`): one mean and standard deviation over every valid cell of
// every Timestamp column, in metadata order. A first pass reads only those columns, so that each table can then be
// encoded, written and freed on its own instead of every table waiting for the last one. A column that is not a
// timestamp is the same typed error the table pass would raise; nothing else is checked here.
import DatabaseSpec
import Foundation
import Parquet
import Store

enum TimeScan {
  static func scale(_ spec: DatabaseSpec, directory: URL, threads: Int) throws -> TimeScale {
    var statistics = ColumnStatistics()
    var minimum = Int64.max
    var maximum = Int64.min
    for table in spec.tables {
      let names = table.columns.filter { $0.type == .timestamp }.map(\.name)
      guard !names.isEmpty else { continue }
      let (file, path) = try TableLoader.open(table, directory: directory)
      let data = try TableLoader.read(names, from: file, spec: table, path: path, threads: threads)
      for (name, column) in zip(names, data) {
        let micros: [Int64]
        do {
          micros = try CellConversion.micros(column)
        } catch {
          throw PreprocessError.typeMismatch(
            file: path, table: table.name, column: name, semantic: .timestamp, reason: error.message)
        }
        let validity = ColumnEncoder.validityBytes(column)
        for row in micros.indices where ColumnEncoder.isValid(validity, row) {
          statistics.add(Double(micros[row]))
          minimum = min(minimum, micros[row])
          maximum = max(maximum, micros[row])
        }
      }
    }
    return TimeScale(
      meanMicros: statistics.mean, scaleMicros: statistics.scale,
      minMicros: statistics.count > 0 ? minimum : nil,
      maxMicros: statistics.count > 0 ? maximum : nil, count: statistics.count)
  }
}
