// Reads a table's Parquet file for preprocessing: opening it (every column metadata.json needs must exist), reading
// named columns, and turning key and time columns into what the graph and the tasks need (key parts, row times).
// Encoding and writing the table's value columns is TablePass's job; this file keeps nothing but keys and times.
import DatabaseSpec
import Foundation
import Parquet
import Runtime
import Store

/// What stays in memory of a table once its file is written: keys and row times, for the graph and the tasks.
struct LoadedTable: Sendable {
  var index: Int
  var spec: TableSpec
  var file: String
  var rowCount: Int
  /// Row time in µs (nil without a time column); null times are `RowGraph.staticTime`.
  var rowTime: [Int64]?
  /// Key parts of the primary key and of each foreign key (by the foreign key's index), with row validity.
  var primaryKey: KeyColumns?
  var foreignKeys: [KeyColumns]
}

struct KeyColumns: Sendable {
  var parts: [KeyPart]
  /// Row has no null part.
  var valid: [Bool]
}

enum TableLoader {
  /// The table's file, refused unless it holds every column metadata.json names for it.
  static func open(_ spec: TableSpec, directory: URL) throws -> (ParquetFile, path: String) {
    let path = directory.appendingPathComponent(spec.fileName).path
    let file: ParquetFile
    do {
      file = try ParquetFile(path: path)
    } catch {
      throw PreprocessError.unreadable(file: path, table: spec.name, reason: "\(error)")
    }
    for name in neededColumns(spec) where (try? file.column(named: name)) == nil {
      throw PreprocessError.missingColumn(file: path, table: spec.name, column: name)
    }
    return (file, path)
  }

  static func read(_ names: [String], from file: ParquetFile, spec: TableSpec, path: String, threads: Int)
    throws -> [ColumnData]
  {
    guard !names.isEmpty else { return [] }
    do {
      return try file.readColumns(names, threads: threads)
    } catch {
      throw PreprocessError.unreadable(file: path, table: spec.name, reason: "\(error)")
    }
  }

  /// Every listed, non-Ignored column, plus key and time columns, without repeats, in metadata order.
  static func neededColumns(_ spec: TableSpec) -> [String] {
    unique(spec.columns.filter { $0.type != .ignored }.map(\.name) + structureColumns(spec))
  }

  /// Key and time columns, without repeats: what the graph and the tasks need after the table is written.
  static func structureColumns(_ spec: TableSpec) -> [String] {
    unique(
      (spec.primaryKey ?? []) + spec.foreignKeys.flatMap(\.columns) + (spec.timeColumn.map { [$0] } ?? []))
  }

  private static func unique(_ candidates: [String]) -> [String] {
    var names: [String] = []
    var seen = Set<String>()
    for name in candidates where seen.insert(name).inserted { names.append(name) }
    return names
  }

  /// Keys and row times of a table from its key and time columns (`structureColumns`).
  static func structure(
    _ spec: TableSpec, index: Int, path: String, rowCount: Int, _ data: [String: ColumnData]
  ) throws -> LoadedTable {
    LoadedTable(
      index: index, spec: spec, file: path, rowCount: rowCount,
      rowTime: try rowTime(spec, data, path: path),
      primaryKey: try spec.primaryKey.map { try keyColumns($0, data, spec: spec, path: path) },
      foreignKeys: try spec.foreignKeys.map { try keyColumns($0.columns, data, spec: spec, path: path) })
  }

  static func rowTime(_ spec: TableSpec, _ data: [String: ColumnData], path: String) throws
    -> [Int64]?
  {
    guard let name = spec.timeColumn, let column = data[name] else { return nil }
    do {
      var micros = try CellConversion.micros(column)
      if column.validity != nil {
        for row in micros.indices where column.isNull(row) { micros[row] = RowGraph.staticTime }
      }
      return micros
    } catch {
      throw PreprocessError.typeMismatch(
        file: path, table: spec.name, column: name, semantic: .timestamp, reason: error.message)
    }
  }

  static func keyColumns(
    _ names: [String], _ data: [String: ColumnData], spec: TableSpec, path: String
  ) throws -> KeyColumns {
    var parts: [KeyPart] = []
    var valid = [Bool](repeating: true, count: data[names[0]]?.count ?? 0)
    for name in names {
      guard let column = data[name] else {
        throw PreprocessError.missingColumn(file: path, table: spec.name, column: name)
      }
      do {
        parts.append(try CellConversion.keyPart(column))
      } catch {
        throw PreprocessError.typeMismatch(
          file: path, table: spec.name, column: name, semantic: .identifier, reason: error.message)
      }
      if column.validity != nil {
        for row in valid.indices where column.isNull(row) { valid[row] = false }
      }
    }
    return KeyColumns(parts: parts, valid: valid)
  }
}
