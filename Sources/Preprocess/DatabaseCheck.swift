// `validate`: every check preprocessing makes before it does any work, reporting all problems instead of throwing
// at the first: metadata.json against the spec, each table's file and listed columns, each column's data against
// its semantic type, time and key columns, primary-key uniqueness, foreign keys (types; dangling links are
// warnings, as in preprocessing) and tasks. Uses the loader's own conversions, so it agrees with `preprocess`.
// It encodes nothing it keeps and embeds nothing.
import DatabaseSpec
import Foundation
import Parquet
import Runtime

public struct ValidationProblem: Sendable, CustomStringConvertible {
  public enum Severity: String, Sendable { case error, warning }
  public var severity: Severity
  public var message: String

  public var description: String { "\(severity.rawValue): \(message)" }
}

public enum DatabaseCheck {
  public static func run(directory: URL, threads: Int = Parallel.defaultThreads) -> [ValidationProblem] {
    let metadata = directory.appendingPathComponent("metadata.json")
    let spec: DatabaseSpec
    do {
      spec = try DatabaseSpec.load(contentsOf: metadata)
    } catch {
      return [ValidationProblem(severity: .error, message: "\(metadata.path): \(error)")]
    }
    var problems = spec.validate().map {
      ValidationProblem(severity: .error, message: "\(metadata.path): \($0)")
    }
    var tables: [LoadedTable] = []
    for (index, table) in spec.tables.enumerated() {
      if let loaded = checkTable(table, index: index, directory: directory, threads: threads, into: &problems)
      {
        tables.append(loaded)
      }
    }
    checkKeys(tables, into: &problems)
    checkTasks(spec, tables: tables, directory: directory, into: &problems)
    return problems
  }

  /// The table as preprocessing loads it, or nil (with the problems recorded) when any part fails.
  static func checkTable(
    _ spec: TableSpec, index: Int, directory: URL, threads: Int, into problems: inout [ValidationProblem]
  ) -> LoadedTable? {
    let path = directory.appendingPathComponent(spec.fileName).path
    let file: ParquetFile
    do { file = try ParquetFile(path: path) } catch {
      problems.append(ValidationProblem(severity: .error, message: "\(path) (table \(spec.name)): \(error)"))
      return nil
    }
    var data: [String: ColumnData] = [:]
    for name in TableLoader.neededColumns(spec) {
      do {
        data[name] = try file.readColumn(name)
      } catch {
        let problem: PreprocessError =
          file.schema.column(named: name) == nil
          ? .missingColumn(file: path, table: spec.name, column: name)
          : .unreadable(file: path, table: spec.name, reason: "column '\(name)': \(error)")
        problems.append(ValidationProblem(severity: .error, message: problem.description))
      }
    }
    for columnSpec in spec.columns where columnSpec.type != .ignored {
      guard let column = data[columnSpec.name] else { continue }
      do {
        _ = try ColumnEncoder.encode(column, spec: columnSpec)
      } catch {
        let problem = PreprocessError.typeMismatch(
          file: path, table: spec.name, column: columnSpec.name, semantic: columnSpec.type,
          reason: error.message)
        problems.append(ValidationProblem(severity: .error, message: problem.description))
      }
    }
    // A bad value column is reported above; keys and time are still checked unless their columns are missing.
    guard TableLoader.structureColumns(spec).allSatisfy({ data[$0] != nil }) else { return nil }
    return keysAndTime(spec, index: index, path: path, rowCount: file.rowCount, data, &problems)
  }

  private static func keysAndTime(
    _ spec: TableSpec, index: Int, path: String, rowCount: Int, _ data: [String: ColumnData],
    _ problems: inout [ValidationProblem]
  ) -> LoadedTable? {
    func attempt<T>(_ body: () throws -> T) -> T? {
      do { return try body() } catch {
        problems.append(ValidationProblem(severity: .error, message: "\(error)"))
        return nil
      }
    }
    let time = attempt { try TableLoader.rowTime(spec, data, path: path) }
    let primaryKey = attempt {
      try spec.primaryKey.map { try TableLoader.keyColumns($0, data, spec: spec, path: path) }
    }
    let foreignKeys = spec.foreignKeys.map { key in
      attempt { try TableLoader.keyColumns(key.columns, data, spec: spec, path: path) }
    }
    guard let time, let primaryKey, foreignKeys.allSatisfy({ $0 != nil }) else { return nil }
    return LoadedTable(
      index: index, spec: spec, file: path, rowCount: rowCount, rowTime: time, primaryKey: primaryKey,
      foreignKeys: foreignKeys.compactMap { $0 })
  }
}
