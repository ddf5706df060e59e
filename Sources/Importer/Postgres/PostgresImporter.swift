// A PostgreSQL schema into Parquet files through postgres-nio: the catalog gives tables, column types, primary keys
// and foreign keys (composite included); each table streams through one `SELECT` in the binary format (postgres-nio
// back-pressures the row sequence, so memory stays bounded by one chunk), its cells are gathered per column and
// decoded, column by column and in parallel, into typed values written as one row group per chunk. No temporary
// files, no text round trip. Type mapping: PostgresColumnType.swift.
// Refuses nothing a schema can hold; infinite dates and timestamps, and NaN in a numeric(p, s), fail the import
// with the table, column and row named.
import DatabaseSpec
import Foundation
import Logging
import Parquet
import PostgresNIO
import Runtime

enum PostgresImporter {
  struct SourceColumn {
    var name: String
    var type: PostgresColumnType
  }

  static func stage(
    _ url: String, schema: String, into staging: URL, options: CSVImportOptions, logger: Logger
  ) async throws -> StagedTables {
    let source = try await PostgresSource.connect(url: url, logger: logger)
    do {
      let staged = try await stage(source, schema: schema, into: staging, options: options, logger: logger)
      await source.close()
      return staged
    } catch {
      await source.close()
      throw error
    }
  }

  static func stage(
    _ source: PostgresSource, schema: String, into staging: URL, options: CSVImportOptions, logger: Logger
  ) async throws -> StagedTables {
    let names = try await source.textRows(
      """
      SELECT c.relname::text, c.reltuples::bigint::text FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = \(schema) AND c.relkind IN ('r', 'p') ORDER BY 1
      """)
    guard !names.isEmpty else { throw ImportError("schema '\(schema)' has no tables") }
    var tables: [ImportedTable] = []
    var declared: [String: DeclaredKeys] = [:]
    for row in names {
      guard let name = row.first ?? nil else { continue }
      let qualified = "\(quoted(schema)).\(quoted(name))"
      declared[name] = try await PostgresCatalog.declaredKeys(source, qualified: qualified)
      let columns = try await PostgresCatalog.columns(source, qualified: qualified)
      let estimate = row.count > 1 ? row[1].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil } : nil
      tables.append(
        try await importTable(
          source, name: name, qualified: qualified, columns: columns, estimatedRows: estimate,
          to: staging.appendingPathComponent("\(name).parquet").path, options: options, logger: logger))
    }
    return StagedTables(tables: tables, declared: declared)
  }

  static func quoted(_ identifier: String) -> String {
    "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func importTable(
    _ source: PostgresSource, name: String, qualified: String, columns: [SourceColumn], estimatedRows: Int?,
    to path: String, options: CSVImportOptions, logger: Logger
  ) async throws -> ImportedTable {
    guard !columns.isEmpty else { throw ImportError("PostgreSQL table '\(name)' has no columns") }
    let schema = columns.map { $0.type.schemaElement(name: $0.name) }
    var writerOptions = ParquetWriterOptions()
    writerOptions.codec = .zstd
    writerOptions.rowGroupRows = options.chunkRows
    let writer = try ParquetWriter(path: path, schema: schema, options: writerOptions)
    let progress = ProgressReporter("import \(name)", total: estimatedRows, unit: "rows", logger: logger)
    var chunk = [PostgresChunkColumn](repeating: PostgresChunkColumn(), count: columns.count)
    var rows = 0
    func flush() throws {
      let chunkRows = chunk.first?.rows ?? 0
      guard chunkRows > 0 else { return }
      let gathered = chunk
      let decoded = try Parallel.map(columns.count, threads: options.threads) { index in
        try PostgresColumnDecoder.decode(
          gathered[index], type: columns[index].type, element: schema[index],
          place: PostgresChunkPlace(table: name, column: columns[index].name, firstRow: rows))
      }
      try writer.write(decoded)
      rows += chunkRows
      progress.advance(by: chunkRows)
      for index in chunk.indices { chunk[index].removeAll() }
    }
    let select = columns.map { $0.type.selectExpression(quoted($0.name)) }.joined(separator: ", ")
    try await source.forEachRow(PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(qualified)")) { row in
      var index = 0
      for cell in row {
        chunk[index].append(cell.bytes)
        index += 1
      }
      if chunk[0].rows == options.chunkRows { try flush() }
    }
    try flush()
    try writer.close()
    progress.finish()
    return ImportedTable(
      name: name, file: (path as NSString).lastPathComponent, rows: rows,
      columns: columns.map { ImportedColumn(name: $0.name, type: $0.type.reportedName) })
  }
}
