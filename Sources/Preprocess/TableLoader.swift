// Reads one table's Parquet file and encodes its columns (in parallel: one column per worker), keeping what the
// graph needs (key parts, row times) beside the encodings.
import DatabaseSpec
import Foundation
import Parquet
import Runtime
import Store

struct LoadedTable: Sendable {
  var index: Int
  var spec: TableSpec
  var file: String
  var rowCount: Int
  /// Encoded non-Ignored columns, in metadata order.
  var columns: [EncodedColumn]
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
  static func load(_ spec: TableSpec, index: Int, directory: URL, threads: Int) throws -> LoadedTable {
    let path = directory.appendingPathComponent(spec.fileName).path
    let file: ParquetFile
    do {
      file = try ParquetFile(path: path)
    } catch {
      throw PreprocessError.unreadable(file: path, table: spec.name, reason: "\(error)")
    }
    let wanted = neededColumns(spec)
    for name in wanted where (try? file.column(named: name)) == nil {
      throw PreprocessError.missingColumn(file: path, table: spec.name, column: name)
    }
    let data: [ColumnData]
    do {
      data = try file.readColumns(wanted, threads: threads)
    } catch {
      throw PreprocessError.unreadable(file: path, table: spec.name, reason: "\(error)")
    }
    let byName = Dictionary(uniqueKeysWithValues: zip(wanted, data))
    return LoadedTable(
      index: index, spec: spec, file: path, rowCount: file.rowCount,
      columns: try encodeColumns(spec, byName, path: path, threads: threads),
      rowTime: try rowTime(spec, byName, path: path),
      primaryKey: try spec.primaryKey.map { try keyColumns($0, byName, spec: spec, path: path) },
      foreignKeys: try spec.foreignKeys.map { try keyColumns($0.columns, byName, spec: spec, path: path) })
  }

  /// Every listed, non-Ignored column, plus key and time columns, without repeats, in metadata order.
  static func neededColumns(_ spec: TableSpec) -> [String] {
    var names: [String] = []
    var seen = Set<String>()
    let candidates =
      spec.columns.filter { $0.type != .ignored }.map(\.name) + (spec.primaryKey ?? [])
      + spec.foreignKeys.flatMap(\.columns) + (spec.timeColumn.map { [$0] } ?? [])
    for name in candidates where seen.insert(name).inserted { names.append(name) }
    return names
  }

  private static func encodeColumns(
    _ spec: TableSpec, _ data: [String: ColumnData], path: String, threads: Int
  ) throws -> [EncodedColumn] {
    let specs = spec.columns.filter { $0.type != .ignored }
    return try Parallel.map(specs.count, threads: threads) { index in
      let columnSpec = specs[index]
      guard let column = data[columnSpec.name] else {
        throw PreprocessError.missingColumn(file: path, table: spec.name, column: columnSpec.name)
      }
      do {
        return try ColumnEncoder.encode(column, spec: columnSpec)
      } catch let error as CellConversion.Mismatch {
        throw PreprocessError.typeMismatch(
          file: path, table: spec.name, column: columnSpec.name, semantic: columnSpec.type,
          reason: error.message)
      }
    }
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
