// Explicit seeds from a Parquet file (`predict.seeds_path`): a `seed_row` column (INT32/INT64), or the seed
// table's key columns named as the prediction output names them (a previous prediction file works as is); and
// optionally `time` (TIMESTAMP, DATE or ISO-8601 strings) for entity tasks, where a null time takes
// `predict.time`. Rows in file order are the job's items.
// Refuses: a file that cannot be read, no seed_row and missing key columns, nulls in seed_row or the keys, keys
// that match no row, times that are not ISO-8601.
import DatabaseSpec
import Foundation
import JobQueue
import Parquet
import Sampler

extension SeedResolver {
  /// A seed file's identity: size and modification time (ns); nil when it cannot be read. Keys the resolved seeds
  /// and is stored with a job, whose chunks refuse a file that changed.
  static func stamp(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
  }

  static func fromFile(_ path: String, loaded: LoadedPrediction, defaultTime: Int64?) throws(JobSpecError)
    -> [ExplicitSeed]
  {
    let field = "predict.seeds_path"
    do {
      let file = try ParquetFile(path: path)
      guard file.rowCount > 0 else { throw JobSpecError(field: field, "\(path) has no rows") }
      let names = Set(file.columns.map(\.name))
      let rows = try seedRows(file, names: names, loaded: loaded)
      let times = try seedTimes(file, names: names, defaultTime: defaultTime)
      return try rows.indices.map { (i: Int) throws(JobSpecError) -> ExplicitSeed in
        try checked(row: rows[i], time: times[i], field: "\(field) (row \(i))", loaded: loaded)
      }
    } catch let error as JobSpecError {
      throw error
    } catch {
      throw JobSpecError(field: field, "cannot be read: \(error)")
    }
  }

  private static func seedRows(_ file: ParquetFile, names: Set<String>, loaded: LoadedPrediction) throws
    -> [Int]
  {
    let field = "predict.seeds_path"
    if names.contains("seed_row") {
      let column = try file.readColumn("seed_row")
      guard column.validity == nil || !(0..<file.rowCount).contains(where: column.isNull) else {
        throw JobSpecError(field: field, "column seed_row has nulls")
      }
      switch column.values {
      case .int32(let v): return v.map(Int.init)
      case .int64(let v): return v.map { Int(exactly: $0) ?? -1 }
      default: throw JobSpecError(field: field, "column seed_row must be INT32 or INT64")
      }
    }
    let index = try loaded.keyIndex()
    let wanted = index.names.map { name in
      names.contains(name) || !name.hasPrefix("key_") ? name : String(name.dropFirst(4))
    }
    guard wanted.allSatisfy(names.contains) else {
      throw JobSpecError(
        field: field,
        "needs a seed_row column or the key columns \(index.names.joined(separator: ", ")); it has \(names.sorted().joined(separator: ", "))"
      )
    }
    let columns = try file.readColumns(wanted, threads: 1)
    return try (0..<file.rowCount).map { (row: Int) throws(JobSpecError) -> Int in
      guard let key = SeedKeyIndex.key(of: columns, at: row), let found = index.row(of: key) else {
        let shown =
          SeedKeyIndex.key(of: columns, at: row).map(render) ?? "a null or non-integer, non-string value"
        throw JobSpecError(field: field, "row \(row): no row of table '\(loaded.seedTable)' has key \(shown)")
      }
      return found
    }
  }

  private static func seedTimes(_ file: ParquetFile, names: Set<String>, defaultTime: Int64?) throws
    -> [Int64?]
  {
    guard names.contains("time") else { return Array(repeating: defaultTime, count: file.rowCount) }
    let column = try file.readColumn("time")
    if let micros = column.epochMicroseconds() {
      return micros.indices.map { column.isNull($0) ? defaultTime : micros[$0] }
    }
    guard case .byteArray = column.values else {
      throw JobSpecError(field: "predict.seeds_path", "column time must be a TIMESTAMP, DATE or string")
    }
    return try (0..<file.rowCount).map { (row: Int) throws(JobSpecError) -> Int64? in
      guard let text = column.string(at: row) else { return defaultTime }
      guard let micros = ISO8601Micros.parse(text) else {
        throw JobSpecError(field: "predict.seeds_path", "row \(row): time '\(text)' is not ISO-8601")
      }
      return micros
    }
  }
}
