// Files written by our writer, checked three ways: (1) writing the same data again gives the committed bytes;
// (2) pyarrow's reading of the committed files (Fixtures/writer/*.pyarrow.json, by tools/check_written_parquet.py)
// has the values, Arrow types and statistics we wrote; (3) our own reader reads back what we wrote.
// Regenerate with tools/make_writer_fixtures.sh after an intended change of the writer's output.
import Foundation
import TestSupport
import Testing

@testable import Parquet

struct WriterFixture: Sendable, CustomTestStringConvertible {
  let name: String
  let options: ParquetWriterOptions
  let rows: Int
  let seed: UInt64
  /// Columns to keep (nil: all of `WriterTestData.allTypes`).
  let subset: [String]?
  var testDescription: String { name }

  var columns: [TestColumn] {
    let all = WriterTestData.allTypes(rows: rows, seed: seed)
    guard let subset else { return all }
    return all.filter { subset.contains($0.element.name) }
  }

  var committedPath: URL { Corpus.fixtures.appendingPathComponent("writer/\(name).parquet") }

  static func options(_ change: (inout ParquetWriterOptions) -> Void) -> ParquetWriterOptions {
    var options = ParquetWriterOptions()
    change(&options)
    return options
  }

  static let few = ["int64", "string", "double", "bool", "decimal_38_10"]
  static let all: [WriterFixture] = [
    WriterFixture(
      name: "writer-plain-v1-snappy",
      options: options {
        $0.useDictionary = false
        $0.dataPageSize = 512
      }, rows: 150, seed: 1, subset: nil),
    WriterFixture(
      name: "writer-dict-v2-zstd",
      options: options {
        $0.codec = .zstd
        $0.dataPageVersion = .v2
        $0.rowGroupRows = 64
        $0.dataPageSize = 64
      }, rows: 150, seed: 2, subset: nil),
    WriterFixture(
      name: "writer-fallback-v1-gzip",
      options: options {
        $0.codec = .gzip
        $0.dictionaryPageSizeLimit = 100
        $0.dataPageSize = 256
      }, rows: 120, seed: 3, subset: nil),
    WriterFixture(
      name: "writer-brotli-v2",
      options: options {
        $0.codec = .brotli
        $0.dataPageVersion = .v2
      }, rows: 60, seed: 4, subset: few),
    WriterFixture(
      name: "writer-lz4hadoop-v1", options: options { $0.codec = .lz4 }, rows: 60, seed: 5, subset: few),
    WriterFixture(
      name: "writer-lz4raw-v2",
      options: options {
        $0.codec = .lz4Raw
        $0.dataPageVersion = .v2
      }, rows: 60, seed: 6, subset: few),
    WriterFixture(
      name: "writer-uncompressed-v1-metadata",
      options: options {
        $0.codec = .uncompressed
        $0.keyValueMetadata = [KeyValue(key: "tributary.table", value: "drivers"), KeyValue(key: "empty")]
      }, rows: 40, seed: 7, subset: few),
  ]

  /// Writes the fixture's data to `path` through the public API.
  func write(to path: String) throws {
    let columns = self.columns
    let writer = try ParquetWriter(path: path, schema: columns.map(\.element), options: options)
    try writer.write(columns.map(\.columnData))
    try writer.close()
  }
}

@Suite(.removesTemporaryFiles) struct WriterFixtureTests {
  @Test(arguments: WriterFixture.all)
  func writesTheCommittedBytes(_ fixture: WriterFixture) throws {
    if ProcessInfo.processInfo.environment["TRIBUTARY_WRITE_FIXTURES"] != nil {
      try fixture.write(to: fixture.committedPath.path)
      return
    }
    let path = TemporaryFiles.path(fixture.name + ".parquet")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try fixture.write(to: path)
    let written = try Data(contentsOf: URL(fileURLWithPath: path))
    let committed = try Data(contentsOf: fixture.committedPath)
    #expect(
      written == committed, "the writer's output changed: re-run tools/make_writer_fixtures.sh if intended")
  }

  @Test(arguments: WriterFixture.all)
  func pyarrowReadsWhatWeWrote(_ fixture: WriterFixture) throws {
    let url = fixture.committedPath.deletingPathExtension().appendingPathExtension("pyarrow.json")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let columns = fixture.columns
    #expect(json["num_rows"] as? Int == fixture.rows)
    let groups = (fixture.rows + fixture.options.rowGroupRows - 1) / fixture.options.rowGroupRows
    #expect(json["num_row_groups"] as? Int == groups)
    let read = try #require(json["columns"] as? [[String: Any]])
    try #require(read.count == columns.count)
    for (column, arrow) in zip(columns, read) {
      let name = column.element.name
      #expect(arrow["name"] as? String == name)
      #expect(arrow["arrow_type"] as? String == expectedArrowType[name], "\(name)")
      let values = try #require(arrow["values"] as? [Any])
      let expected = ReferenceRendering.values(column)
      #expect(values.count == expected.count)
      for (row, (got, want)) in zip(values, expected).enumerated() where (got as? String) != want {
        Issue.record("\(fixture.name) \(name) row \(row): pyarrow read \(got), we wrote \(want ?? "null")")
        break
      }
      try checkStatistics(arrow, column: column, fixture: fixture)
      #expect(arrow["codec"] as? String == expectedCodecName[fixture.options.codec], "\(name)")
      let encodings = try #require(arrow["encodings"] as? [String])
      let dictionary = encodings.contains("RLE_DICTIONARY")
      if !fixture.options.useDictionary || name == "bool" {
        #expect(!dictionary, "\(fixture.name) \(name)")
      } else if fixture.options.dictionaryPageSizeLimit == 100 {
        // 24 distinct int8 values take 96 bytes: dictionary; 24 int64 values take 192: PLAIN fallback
        if name == "int8" { #expect(dictionary) }
        if name == "int64" { #expect(!dictionary) }
      } else if name != "all_null" {
        #expect(dictionary, "\(fixture.name) \(name)")
      }
    }
    if !fixture.options.keyValueMetadata.isEmpty {
      let metadata = try #require(json["key_value_metadata"] as? [String: String])
      #expect(metadata["tributary.table"] == "drivers")
      #expect(metadata["empty"] == "")
    }
  }

  private func checkStatistics(_ arrow: [String: Any], column: TestColumn, fixture: WriterFixture) throws {
    let statistics = try #require(arrow["statistics"] as? [[String: Any]])
    let rows = ReferenceRendering.values(column).count
    for (group, stats) in statistics.enumerated() {
      let range =
        (group * fixture.options.rowGroupRows)..<min((group + 1) * fixture.options.rowGroupRows, rows)
      let (min, max, nulls) = ReferenceRendering.statistics(column, rows: range)
      let where_ = "\(fixture.name) \(column.element.name) row group \(group)"
      #expect(stats["null_count"] as? Int == nulls, "\(where_)")
      #expect(stats["min"] as? String == min, "\(where_)")
      #expect(stats["max"] as? String == max, "\(where_)")
    }
  }

  /// pyarrow 26 names Parquet's LZ4 (Hadoop) codec UNKNOWN and LZ4_RAW "LZ4".
  let expectedCodecName: [CompressionCodec: String] = [
    .uncompressed: "UNCOMPRESSED", .snappy: "SNAPPY", .gzip: "GZIP", .brotli: "BROTLI", .zstd: "ZSTD",
    .lz4: "UNKNOWN", .lz4Raw: "LZ4",
  ]

  /// How pyarrow 26 types each test column (from the logical type we wrote).
  let expectedArrowType: [String: String] = [
    "bool": "bool", "int8": "int8", "int16": "int16", "int32_required": "int32", "int64": "int64",
    "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64", "float": "float",
    "double": "double", "float16": "halffloat", "string": "string", "binary": "binary",
    "fixed5": "fixed_size_binary[5]", "date": "date32[day]", "time_ms": "time32[ms]", "time_us": "time64[us]",
    "ts_ms": "timestamp[ms]", "ts_us_utc": "timestamp[us, tz=UTC]", "ts_ns": "timestamp[ns]",
    "ts_ns_utc": "timestamp[ns, tz=UTC]", "decimal_9_2": "decimal128(9, 2)",
    "decimal_18_4": "decimal128(18, 4)",
    "decimal_38_10": "decimal128(38, 10)", "decimal_30_3_bytes": "decimal128(30, 3)",
    "uuid": "extension<arrow.uuid>", "int96": "timestamp[ns]", "all_null": "int32",
  ]

  @Test(arguments: WriterFixture.all)
  func ourReaderReadsWhatWeWrote(_ fixture: WriterFixture) throws {
    let file = try ParquetFile(path: fixture.committedPath.path)
    #expect(file.rowCount == fixture.rows)
    for column in fixture.columns {
      let read = try file.readColumn(column.element.name)
      let written = column.columnData
      #expect(bitwiseEqual(read.values, written.values), "\(fixture.name) \(column.element.name)")
      #expect(
        (0..<read.count).map(read.isNull) == (0..<written.count).map(written.isNull),
        "\(fixture.name) \(column.element.name)")
      #expect(read.descriptor.element.logicalType == column.element.logicalType)
    }
  }
}

/// Equality that compares floats by bit pattern (NaN equals itself, -0.0 differs from 0.0).
func bitwiseEqual(_ a: ColumnValues, _ b: ColumnValues) -> Bool {
  switch (a, b) {
  case (.float(let x), .float(let y)): return x.map(\.bitPattern) == y.map(\.bitPattern)
  case (.double(let x), .double(let y)): return x.map(\.bitPattern) == y.map(\.bitPattern)
  default: return a == b
  }
}
