// Imports against independent readings of the same fixtures (tools/make_importer_fixtures.py): Python's csv module
// for the CSV folder, Python's sqlite3 for the SQLite file. Values are read back from the written Parquet files with
// our reader; times are compared with DatabaseSpec's own ISO-8601 parser, a separate implementation.
import DatabaseSpec
import Foundation
import Logging
import Parquet
import TestSupport
import Testing

@testable import Importer

private func json(_ name: String) throws -> [String: Any] {
  let data = try Data(contentsOf: Fixtures.url(name))
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

private func importInto(_ source: ImportSource, chunkRows: Int = 2) async throws -> (URL, ImportSummary) {
  let folder = try TemporaryFiles.folder("import")
  let out = folder.appendingPathComponent("db")
  var options = CSVImportOptions()
  options.chunkRows = chunkRows  // several row groups even for tiny tables
  let summary = try await DatabaseImporter(
    source: source, output: out, options: options, logger: Logger(label: "test")
  ).run()
  return (out, summary)
}

/// Checks one Parquet column against expected raw text (nil: null), by the imported type.
private func expectColumn(_ column: ColumnData, _ expected: [Any], type: String, _ label: String) {
  #expect(column.count == expected.count, "\(label)")
  let renderer = CanonicalRenderer(column)
  let micros = column.epochMicroseconds()
  for (row, raw) in expected.enumerated() where row < column.count {
    guard let text = raw as? String else {
      if let number = raw as? NSNumber {
        let rendered = renderer.renderPlain(row)
        #expect(Double(rendered) == number.doubleValue, "\(label)[\(row)]: \(rendered) vs \(number)")
      } else {
        #expect(column.isNull(row), "\(label)[\(row)] should be null")
      }
      continue
    }
    #expect(!column.isNull(row), "\(label)[\(row)]")
    switch type {
    case "integer", "float": #expect(Double(renderer.renderPlain(row)) == Double(text), "\(label)[\(row)]")
    case "boolean": #expect(renderer.render(row) == text.lowercased(), "\(label)[\(row)]")
    case "date", "timestamp": #expect(micros?[row] == ISO8601Micros.parse(text), "\(label)[\(row)]: \(text)")
    default: #expect(renderer.renderPlain(row) == text, "\(label)[\(row)]")
    }
  }
}

@Test(.removesTemporaryFiles) func csvFolderImportsTypesAndValues() async throws {
  let (out, summary) = try await importInto(.csvFolder(Fixtures.url("csv")))
  defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
  let expected = try json("csv.expected.json")
  for table in summary.tables {
    let spec = try #require(expected[table.name] as? [String: Any])
    let types = try #require(spec["types"] as? [String: String])
    #expect(Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.type) }) == types)
    guard let columns = spec["columns"] as? [String: [Any]] else { continue }
    let file = try ParquetFile(path: out.appendingPathComponent(table.file).path)
    #expect(file.rowGroupCount == 3)  // 5 rows in chunks of 2
    for (name, values) in columns {
      expectColumn(try file.readColumn(name), values, type: types[name] ?? "", "\(table.name).\(name)")
    }
  }
  let spec = try DatabaseSpec.load(contentsOf: out.appendingPathComponent("metadata.json"))
  #expect(spec.table(named: "people")?.primaryKey == ["id"])
  #expect(spec.table(named: "visits")?.foreignKeys.first?.referencedTable == "people")
}

@Test(.removesTemporaryFiles) func sqliteImportKeepsDeclaredKeysAndValues() async throws {
  let (out, summary) = try await importInto(.sqlite(Fixtures.url("shop.sqlite")))
  defer { try? FileManager.default.removeItem(at: out.deletingLastPathComponent()) }
  let expected = try json("shop.sqlite.expected.json")
  #expect(Set(summary.tables.map(\.name)) == Set(expected.keys))
  for table in summary.tables {
    let columns = try #require(expected[table.name] as? [String: [Any]])
    let file = try ParquetFile(path: out.appendingPathComponent(table.file).path)
    let types = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0.type) })
    for (name, values) in columns {
      let strings = values.map {
        ($0 as? NSNumber).map { types[name] == "boolean" ? ($0 == 1 ? "true" : "false") : "\($0)" } ?? $0
      }
      expectColumn(
        try file.readColumn(name), types[name] == "boolean" ? strings : values, type: types[name] ?? "",
        "\(table.name).\(name)")
    }
  }
  #expect(
    summary.tables.first { $0.name == "authors" }?.columns.map(\.type) == [
      "integer", "string", "date", "float", "boolean",
    ])
  #expect(
    summary.tables.first { $0.name == "books" }?.columns.map(\.type) == [
      "integer", "integer", "string", "float", "timestamp", "integer",
    ])
  let spec = try DatabaseSpec.load(contentsOf: out.appendingPathComponent("metadata.json"))
  #expect(spec.validate().isEmpty)
  #expect(spec.table(named: "editions")?.primaryKey == ["book_id", "edition"])
  let reviews = try #require(spec.table(named: "reviews"))
  #expect(reviews.primaryKey == ["review_id"])
  #expect(
    reviews.foreignKeys == [
      ForeignKeySpec(
        columns: ["book_id", "edition"], referencedTable: "editions",
        referencedColumns: ["book_id", "edition"])
    ])
  #expect(spec.table(named: "books")?.foreignKeys.map(\.referencedTable) == ["authors"])
}

@Test(.removesTemporaryFiles) func failedImportLeavesNothingBehind() async throws {
  let source = try TemporaryFiles.folder("ragged")
  defer { try? FileManager.default.removeItem(at: source) }
  try Data("a,b\n1,2\n3,4\n5\n".utf8).write(to: source.appendingPathComponent("bad.csv"))
  let parent = try TemporaryFiles.folder("ragged-out")
  defer { try? FileManager.default.removeItem(at: parent) }
  let out = parent.appendingPathComponent("db")
  await #expect(
    throws: CSVError(
      file: source.appendingPathComponent("bad.csv").path, line: 4, message: "1 fields where the header has 2"
    )
  ) {
    _ = try await DatabaseImporter(source: .csvFolder(source), output: out, logger: Logger(label: "test"))
      .run()
  }
  #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
}

@Test func csvReaderHandlesQuotesCRLFAndErrors() throws {
  func records(_ text: String) throws(CSVError) -> [[String]] {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { (buffer) throws(CSVError) -> [[String]] in
      var reader = CSVRecordReader(bytes: buffer, file: "t.csv")
      var fields: [CSVField] = []
      var scratch: [UInt8] = []
      var out: [[String]] = []
      while try reader.next(into: &fields, scratch: &scratch) {
        out.append(
          fields.map {
            String(
              decoding: $0.inScratch ? Array(scratch[$0.start..<$0.end]) : Array(buffer[$0.start..<$0.end]),
              as: UTF8.self)
          })
      }
      return out
    }
  }
  #expect(try records("a,b\r\n\"x,\"\"y\"\"\",\r\n") == [["a", "b"], ["x,\"y\"", ""]])
  #expect(try records("\u{FEFF}a\n\"multi\nline\"\nlast") == [["a"], ["multi\nline"], ["last"]])
  #expect(throws: CSVError(file: "t.csv", line: 2, message: "quoted field is never closed")) {
    try records("a\n\"open\n")
  }
  #expect(throws: CSVError.self) { try records("\"a\"b\n") }
}

@Test func valueSniffingWidensAndParses() {
  func sniff(_ text: String) -> CSVType {
    var number: [CChar] = []
    return Array(text.utf8).withUnsafeBufferPointer { CSVValues.sniff($0, number: &number) }
  }
  #expect(sniff("-42") == .integer)
  #expect(sniff("99999999999999999999") == .string)  // overflows Int64: keep the digits
  #expect(sniff("1e-3") == .float)
  #expect(sniff("0x10") == .string)
  #expect(sniff("False") == .boolean)
  #expect(sniff("2024-02-29") == .date)
  #expect(sniff("2023-02-29") == .string)
  #expect(sniff("2024-01-01 10:00:00+05:30") == .timestamp)
  #expect(CSVType.integer.join(.float) == .float)
  #expect(CSVType.date.join(.timestamp) == .timestamp)
  #expect(CSVType.integer.join(.date) == .string)
  let micros = Array("2024-01-01T10:00:00.5-02:00".utf8).withUnsafeBufferPointer { CSVValues.timestamp($0) }
  #expect(micros?.micros == ISO8601Micros.parse("2024-01-01T12:00:00.500000Z"))
}
