// PostgreSQL import against a real server started by the test (TemporaryPostgres), loaded with postgres.sql: declared
// keys (composite included), every common column type, nulls, a table without constraints and a name with a space;
// values compared with postgres.expected.json (the rows the SQL was generated from). Then the round trip
// PostgreSQL -> import -> preprocess: the processed database has the source's row counts, one edge per link, and
// decimal columns that decode (as `inspect` shows them) to the source's values.
import DatabaseSpec
import Foundation
import Logging
import Parquet
import Preprocess
import Store
import TestSupport
import Testing
import TextEmbedding

@testable import Importer

@Suite(
  .serialized, .removesTemporaryFiles,
  .enabled(if: TemporaryPostgres.available, "needs Debian's postgresql package"))
final class PostgresTests {
  let fixture: PostgresFixtureImport
  var scratch: URL { fixture.scratch }
  var out: URL { fixture.out }
  var summary: ImportSummary { fixture.summary }

  init() async throws {
    fixture = try await PostgresFixtureImport(label: "league", chunkRows: 2)
  }

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
        "integer", "string", "date", "decimal", "boolean", "float", "string", "string", "string", "string",
      ])
    #expect(
      types("players") == [
        "integer", "integer", "string", "timestamp", "timestamp", "float", "integer", "decimal",
      ])
    #expect(types("Event Log") == ["string", "timestamp", "float"])
    let players = try ParquetFile(path: out.appendingPathComponent("players.parquet").path)
    #expect(
      try players.column(named: "last_seen").interpretation
        == .timestamp(unit: .micros, isAdjustedToUTC: true))
    #expect(try players.column(named: "form").interpretation == .decimal(scale: 1, precision: 4))
    #expect(try players.column(named: "form").physicalType == .int32)
    let teams = try ParquetFile(path: out.appendingPathComponent("teams.parquet").path)
    #expect(try teams.column(named: "budget").interpretation == .decimal(scale: 2, precision: 12))
    #expect(try teams.column(named: "budget").physicalType == .int64)
  }

  @Test func valuesMatchTheSource() throws {
    try PostgresExpected.expectValues(summary, in: out)
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
    try expectDecodedNumbers(
      processed, table: "teams", column: "budget", expected: ["1250000.50", "-3.25", nil])
    try expectDecodedNumbers(
      processed, table: "players", column: "form", expected: ["12.5", "-0.1", nil, "-999.9"])
  }

  /// A Numerical column of the processed database, un-z-scored as `inspect` does: the source's values up to the
  /// float32 z-scores preprocessing stores (relative 1e-6 of the column's largest magnitude). Read from the
  /// sections directly: `decodeRow` also formats the row's time, which traps on a null time (Store, reported).
  private func expectDecodedNumbers(_ processed: URL, table: String, column: String, expected: [String?])
    throws
  {
    let database = try ProcessedDatabase(directory: processed)
    let (index, processedTable) = try #require(database.table(named: table))
    let processedColumn = try #require(processedTable.columns.first { $0.name == column })
    #expect(processedColumn.type == .numerical, "\(table).\(column)")
    let file = database.tables[index]
    let z = try file.withSection("\(processedColumn.section).num", as: Float.self) { Array($0) }
    let valid = try file.withSectionBytes("\(processedColumn.section).valid") { Array($0) }
    let numbers = expected.map { $0.flatMap { Double($0) } }
    let tolerance = 1e-6 * (numbers.compactMap { $0.map(abs) }.max() ?? 1)
    try #require(z.count == numbers.count)
    for (row, value) in numbers.enumerated() {
      let isValid = valid[row >> 3] & (1 << UInt8(row & 7)) != 0
      guard let value else {
        #expect(!isValid, "\(table).\(column)[\(row)] should be null")
        continue
      }
      let decoded = processedColumn.statistics?.unscale(Double(z[row])) ?? .nan
      #expect(
        isValid && abs(decoded - value) <= tolerance, "\(table).\(column)[\(row)]: \(decoded) vs \(value)")
    }
  }
}
