// numeric columns through the PostgreSQL import (schema `wide` of postgres.sql): DECIMAL(p, s) on INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY(16) by precision, exact values (38 digits, negative, tiny scales, zeros, nulls) across row
// groups, unconstrained numeric as the nearest double; and pyarrow (tools/pyarrow_decimals.py) reading the same
// decimals back from the file.
import Foundation
import Parquet
import TestSupport
import Testing

@testable import Importer

@Suite(
  .serialized, .removesTemporaryFiles,
  .enabled(if: TemporaryPostgres.available, "needs Debian's postgresql package"))
final class PostgresDecimalTests {
  let fixture: PostgresFixtureImport

  init() async throws {
    fixture = try await PostgresFixtureImport(label: "wide", schema: "wide", chunkRows: 3)
  }

  @Test func physicalTypesFollowThePrecision() throws {
    #expect(fixture.summary.tables.map(\.name) == ["ledger"])
    let file = try ParquetFile(path: fixture.out.appendingPathComponent("ledger.parquet").path)
    let expected: [(String, PhysicalType, Interpretation)] = [
      ("big", .fixedLenByteArray, .decimal(scale: 6, precision: 38)),
      ("whole", .fixedLenByteArray, .decimal(scale: 0, precision: 20)),
      ("tiny", .int32, .decimal(scale: 3, precision: 3)),
      ("cents", .int64, .decimal(scale: 2, precision: 18)),
    ]
    for (name, physical, interpretation) in expected {
      let column = try file.column(named: name)
      #expect(column.physicalType == physical, "\(name)")
      #expect(column.interpretation == interpretation, "\(name)")
    }
    #expect(try file.column(named: "loose").physicalType == .double)
    #expect(file.rowGroupCount == 2)
  }

  @Test func valuesMatchTheSource() throws {
    try PostgresExpected.expectValues(fixture.summary, in: fixture.out)
  }

  @Test func pyarrowReadsTheSameDecimals() throws {
    let tool = TestPaths.tool("pyarrow_decimals.py")
    let output = try fixture.server.run(
      "/usr/bin/env", ["python3", tool.path, fixture.out.appendingPathComponent("ledger.parquet").path],
      asPostgres: false)
    let read = try #require(
      try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: [String: Any]])
    let rows = try #require(try PostgresExpected.rows()["ledger"])
    let columns = [
      "big": (1, "decimal128(38, 6)"), "whole": (2, "decimal128(20, 0)"),
      "tiny": (3, "decimal128(3, 3)"), "cents": (4, "decimal128(18, 2)"),
    ]
    #expect(Set(read.keys) == Set(columns.keys))
    for (name, (index, type)) in columns {
      #expect(read[name]?["type"] as? String == type, "\(name)")
      let values = (read[name]?["values"] as? [Any]) ?? []
      #expect(values.map { $0 as? String } == rows.map { $0[index] as? String }, "\(name)")
    }
  }
}
