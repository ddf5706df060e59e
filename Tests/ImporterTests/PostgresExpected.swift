// The rows postgres.sql was generated from (postgres.expected.json, written by tools/make_importer_fixtures.py),
// compared cell by cell with what an import wrote: decimals and strings as exact text, floats as the nearest
// double to the source's text, dates and timestamps through DatabaseSpec's own ISO-8601 parser; and the import of
// one of its schemas from a server started for the test.
import DatabaseSpec
import Foundation
import Logging
import Parquet
import TestSupport
import Testing

@testable import Importer

enum PostgresExpected {
  static func rows() throws -> [String: [[Any]]] {
    let data = try Data(contentsOf: Fixtures.url("postgres.expected.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[Any]]])
  }

  static func expectValues(_ summary: ImportSummary, in out: URL) throws {
    let expected = try rows()
    for table in summary.tables {
      let rows = try #require(expected[table.name])
      #expect(table.rows == rows.count, "\(table.name)")
      let file = try ParquetFile(path: out.appendingPathComponent(table.file).path)
      for (index, column) in table.columns.enumerated() {
        let data = try file.readColumn(column.name)
        for (row, values) in rows.enumerated() {
          expectCell(
            data, row: row, expected: values[index], type: column.type, "\(table.name).\(column.name)")
        }
      }
    }
  }

  static func expectCell(_ column: ColumnData, row: Int, expected: Any, type: String, _ label: String) {
    let renderer = CanonicalRenderer(column)
    switch expected {
    case let number as NSNumber where type == "boolean":
      #expect(renderer.render(row) == (number.boolValue ? "true" : "false"), "\(label)")
    case let number as NSNumber:
      #expect(Double(renderer.renderPlain(row)) == number.doubleValue, "\(label)[\(row)]")
    case let text as String where type == "float":
      #expect(Double(renderer.renderPlain(row)) == Double(text), "\(label)[\(row)]")
    case let text as String where type == "date" || type == "timestamp":
      // "+02" -> "+02:00": DatabaseSpec's parser (a separate implementation) wants minutes in offsets.
      let zoned = text.count > 10 && text.range(of: #"[+-]\d\d$"#, options: .regularExpression) != nil
      let iso = zoned ? text + ":00" : text
      #expect(column.epochMicroseconds()?[row] == ISO8601Micros.parse(iso), "\(label)[\(row)]: \(text)")
    case let text as String: #expect(renderer.renderPlain(row) == text, "\(label)[\(row)]")
    default: #expect(column.isNull(row), "\(label)[\(row)] should be null")
    }
  }
}

/// postgres.sql loaded into a fresh server and one of its schemas imported; the server stops and the files go when
/// the last reference does.
final class PostgresFixtureImport {
  let server: TemporaryPostgres
  let scratch: URL
  let out: URL
  let summary: ImportSummary

  init(label: String, schema: String = "public", chunkRows: Int) async throws {
    server = try TemporaryPostgres()
    try server.load(sqlFile: Fixtures.url("postgres.sql").path)
    scratch = try TemporaryFiles.folder(label)
    out = scratch.appendingPathComponent(label)
    var options = CSVImportOptions()
    options.chunkRows = chunkRows
    options.postgresSchema = schema
    summary = try await DatabaseImporter(
      source: try ImportSource.detect(server.url), output: out, options: options,
      logger: Logger(label: "test")
    ).run()
  }

  deinit { try? FileManager.default.removeItem(at: scratch) }
}
