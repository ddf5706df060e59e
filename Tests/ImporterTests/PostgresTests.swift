// PostgreSQL import against a real server started by the test (PostgresServer), loaded with postgres.sql: declared
// keys (composite included), every common column type, nulls, a table without constraints and a name with a space;
// values compared with postgres.expected.json (the rows the SQL was generated from). Then the round trip
// PostgreSQL -> import -> preprocess: the processed database has the source's row counts and one edge per link.
import DatabaseSpec
import Foundation
import Logging
import Parquet
import Preprocess
import Testing
import TextEmbedding

@testable import Importer

@Suite(.serialized, .enabled(if: PostgresServer.available, "needs Debian's postgresql package"))
final class PostgresTests {
  let server: PostgresServer
  let scratch: URL
  let out: URL
  let summary: ImportSummary

  init() async throws {
    server = try PostgresServer()
    try server.load(sqlFile: Fixtures.url("postgres.sql").path)
    scratch = try Fixtures.scratch("postgres")
    out = scratch.appendingPathComponent("league")
    var options = CSVImportOptions()
    options.chunkRows = 2
    summary = try await DatabaseImporter(
      source: try ImportSource.detect(server.url), output: out, options: options,
      logger: Logger(label: "test")
    ).run()
  }

  deinit { try? FileManager.default.removeItem(at: scratch) }

  @Test func declaredKeysAndTypes() throws {
    let spec = try DatabaseSpec.load(contentsOf: out.appendingPathComponent("metadata.json"))
    #expect(spec.validate().isEmpty)
    #expect(spec.table(named: "teams")?.primaryKey == ["team_id"])
    #expect(spec.table(named: "seasons")?.primaryKey == ["team_id", "year"])
    #expect(
      spec.table(named: "awards")?.foreignKeys == [
        ForeignKeySpec(
          columns: ["team_id", "year"], referencedTable: "seasons", referencedColumns: ["team_id", "year"])
      ])
    #expect(spec.table(named: "players")?.foreignKeys.map(\.referencedTable) == ["teams"])
    let types = { (name: String) in self.summary.tables.first { $0.name == name }?.columns.map(\.type) }
    #expect(
      types("teams") == [
        "integer", "string", "date", "float", "boolean", "float", "string", "string", "string", "string",
      ])
    #expect(
      types("players") == ["integer", "integer", "string", "timestamp", "timestamp", "float", "integer"])
    let lastSeen = try ParquetFile(path: out.appendingPathComponent("players.parquet").path).column(
      named: "last_seen")
    #expect(lastSeen.interpretation == .timestamp(unit: .micros, isAdjustedToUTC: true))
  }

  @Test func valuesMatchTheSource() throws {
    let data = try Data(contentsOf: Fixtures.url("postgres.expected.json"))
    let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [[Any]]])
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

  private func expectCell(_ column: ColumnData, row: Int, expected: Any, type: String, _ label: String) {
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

  @Test func roundTripThroughPreprocess() async throws {
    let problems = DatabaseCheck.run(directory: out, threads: 2)
    #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
    let processed = scratch.appendingPathComponent("processed")
    let result = try await Preprocessor(
      databaseDirectory: out, embedder: HashingEmbedder(dimension: 16),
      options: PreprocessOptions(threads: 2),
      logger: Logger(label: "test")
    ).run(outputDirectory: processed)
    let counts = Dictionary(uniqueKeysWithValues: result.metadata.tables.map { ($0.name, $0.rows) })
    #expect(counts == ["teams": 3, "players": 4, "seasons": 3, "awards": 3, "Event Log": 2])
    // players -> teams: 3 links (one null), seasons -> teams: 3, awards -> seasons (composite): 3.
    #expect(result.metadata.graph.edges == 9)
  }
}
