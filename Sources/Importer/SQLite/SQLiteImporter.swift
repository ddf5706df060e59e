// A SQLite file (through GRDB, read-only) into Parquet files: one per table, with the primary and foreign keys the
// schema declares (composite ones included; tables without constraints get inferred keys). SQLite values are
// dynamically typed, so each column's Parquet type comes from a first pass over its values, as for CSV: integers,
// reals, text that reads as dates or timestamps where the declared type says DATE/TIME, 0/1 as booleans where it
// says BOOL; anything mixed widens (to string at worst). TEXT columns stay strings ("007" is not 7).
// Blobs are imported as strings of their bytes. Refuses nothing else; a file that is not SQLite is an error.
import DatabaseSpec
import Foundation
import GRDB
import Logging
import Parquet
import Runtime

enum SQLiteImporter {
  static func stage(_ file: URL, into staging: URL, options: CSVImportOptions, logger: Logger) throws
    -> StagedTables
  {
    var configuration = Configuration()
    configuration.readonly = true
    let queue: DatabaseQueue
    do { queue = try DatabaseQueue(path: file.path, configuration: configuration) } catch {
      throw ImportError("\(file.path): not a readable SQLite database (\(error))")
    }
    return try queue.read { db in
      let names = try String.fetchAll(
        db,
        sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      var tables: [ImportedTable] = []
      var declared: [String: DeclaredKeys] = [:]
      for name in names {
        let columns = try db.columns(in: name)
        declared[name] = try declaredKeys(db, table: name, columns: columns.map(\.name))
        tables.append(
          try importTable(
            db, name: name, columns: columns, to: staging.appendingPathComponent("\(name).parquet").path,
            options: options, logger: logger))
      }
      return StagedTables(tables: tables, declared: declared)
    }
  }

  static func declaredKeys(_ db: Database, table: String, columns: [String]) throws -> DeclaredKeys {
    let primary = try db.primaryKey(table).columns
    let foreignKeys = try db.foreignKeys(on: table).map {
      ForeignKeySpec(
        columns: $0.originColumns, referencedTable: $0.destinationTable,
        referencedColumns: $0.destinationColumns)
    }
    // A table without a declared key has the hidden rowid, which is not a column of the data.
    let key = primary.allSatisfy(columns.contains) ? primary : nil
    return DeclaredKeys(primaryKey: key, foreignKeys: foreignKeys)
  }

  static func importTable(
    _ db: Database, name: String, columns: [ColumnInfo], to path: String, options: CSVImportOptions,
    logger: Logger
  ) throws -> ImportedTable {
    let sql = "SELECT * FROM \(name.quotedDatabaseIdentifier)"
    let hints = columns.map { ColumnHint(declared: $0.type) }
    var states = [CSVTableImporter.ColumnState](repeating: .init(), count: columns.count)
    var text = SQLiteText()
    let rows = try Row.fetchCursor(db, sql: sql)
    while let row = try rows.next() {
      for index in columns.indices {
        guard text.render(row[index] as DatabaseValue, hint: hints[index]) else { continue }
        if hints[index].forceString {
          states[index].type = .string
        } else {
          text.bytes.withUnsafeBufferPointer {
            CSVTableImporter.widen(&states[index], $0, number: &text.number)
          }
        }
      }
    }
    let types = states.map { $0.type ?? .string }
    let schema = zip(columns, states).map {
      CSVColumnBuilder.schemaElement(name: $0.name, type: $1.type ?? .string, zoned: $1.zoned)
    }
    var writerOptions = ParquetWriterOptions()
    writerOptions.codec = .zstd
    let writer = try ParquetWriter(path: path, schema: schema, options: writerOptions)
    let count = try writeChunks(
      db, sql: sql, hints: hints, schema: schema, types: types, writer: writer, options: options)
    try writer.close()
    logger.info("imported \(name): \(count) rows")
    return ImportedTable(
      name: name, file: "\(name).parquet", rows: count,
      columns: zip(columns, types).map { ImportedColumn(name: $0.name, type: $1.rawValue) })
  }

  static func writeChunks(
    _ db: Database, sql: String, hints: [ColumnHint], schema: [SchemaElement], types: [CSVType],
    writer: ParquetWriter, options: CSVImportOptions
  ) throws -> Int {
    var chunk = [CSVChunkColumn](repeating: CSVChunkColumn(), count: schema.count)
    var scratch: [UInt8] = []
    var text = SQLiteText()
    var lines: [Int] = []
    var total = 0
    func flush() throws {
      guard !lines.isEmpty else { return }
      let columns = try scratch.withUnsafeBufferPointer { scratchBytes in
        try (0..<schema.count).map { index in
          try CSVColumnBuilder.build(
            chunk[index], type: types[index], element: schema[index],
            input: UnsafeBufferPointer(start: nil, count: 0),
            scratch: scratchBytes, firstLine: lines, file: sql)
        }
      }
      try writer.write(columns)
      total += lines.count
      lines.removeAll(keepingCapacity: true)
      scratch.removeAll(keepingCapacity: true)
      for index in chunk.indices { chunk[index].removeAll() }
    }
    let rows = try Row.fetchCursor(db, sql: sql)
    while let row = try rows.next() {
      for index in schema.indices {
        let start = scratch.count
        if text.render(row[index] as DatabaseValue, hint: hints[index]) {
          scratch.append(contentsOf: text.bytes)
        }
        chunk[index].starts.append(-start - 1)
        chunk[index].ends.append(scratch.count)
      }
      lines.append(total + lines.count + 1)
      if lines.count == options.chunkRows { try flush() }
    }
    try flush()
    return total
  }
}

/// What a column's declared type says about its values.
struct ColumnHint {
  var forceString: Bool
  var boolean: Bool

  init(declared: String) {
    let type = declared.uppercased()
    boolean = type.contains("BOOL")
    forceString =
      type.contains("CHAR") || type.contains("TEXT") || type.contains("CLOB") || type.contains("BLOB")
  }
}

/// One SQLite value as the text the CSV type machinery reads (reused buffer; false for NULL).
struct SQLiteText {
  var bytes: [UInt8] = []
  var number: [CChar] = []

  mutating func render(_ value: DatabaseValue, hint: ColumnHint) -> Bool {
    bytes.removeAll(keepingCapacity: true)
    switch value.storage {
    case .null: return false
    case .int64(let v):
      if hint.boolean && (v == 0 || v == 1) {
        bytes.append(contentsOf: (v == 1 ? "true" : "false").utf8)
      } else {
        bytes.append(contentsOf: String(v).utf8)
      }
    case .double(let v): bytes.append(contentsOf: "\(v)".utf8)
    case .string(let v): bytes.append(contentsOf: v.utf8)
    case .blob(let v): bytes.append(contentsOf: v)
    }
    return !bytes.isEmpty
  }
}
