// The writer's contract beyond the fixtures: files read by our reader (pyarrow-written fixtures) are written back
// and read again identically; bad input throws `ParquetError` naming the column; the destination never holds
// a half-written file.
import Foundation
import TestSupport
import Testing

@testable import Parquet

@Suite(.removesTemporaryFiles) struct WriterRoundTripTests {
  /// Every pyarrow-written fixture: all codecs, encodings, page versions and logical types as input.
  static let generated: [String] = {
    let folder = Corpus.fixtures.appendingPathComponent("generated").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".parquet") }.map { String($0.dropLast(".parquet".count)) }.sorted()
  }()

  @Test func generatedFixturesArePresent() {
    #expect(Self.generated.count > 200)
  }

  /// pyarrow-written file -> our reader -> our writer (several option sets) -> our reader: same columns.
  @Test(arguments: generated)
  func readWriteReadIsIdentity(_ name: String) throws {
    let source = try ParquetFile(
      path: Corpus.fixtures.appendingPathComponent("generated/\(name).parquet").path)
    let columns = try source.readColumns()
    var v2 = ParquetWriterOptions()
    v2.dataPageVersion = .v2
    v2.codec = .zstd
    v2.rowGroupRows = 70
    v2.dataPageSize = 100
    var plain = ParquetWriterOptions()
    plain.useDictionary = false
    plain.codec = .gzip
    for options in [ParquetWriterOptions(), v2, plain] {
      let path = TemporaryFiles.path("roundtrip-\(name).parquet")
      defer { try? FileManager.default.removeItem(atPath: path) }
      try ParquetWriter.write(columns, to: path, options: options)
      let again = try ParquetFile(path: path)
      #expect(again.rowCount == source.rowCount)
      for column in columns {
        let read = try again.readColumn(column.descriptor.name)
        #expect(bitwiseEqual(read.values, column.values), "\(name) \(column.descriptor.name)")
        #expect(read.nullCount == column.nullCount)
        #expect(read.descriptor.element.logicalType == column.descriptor.element.logicalType)
      }
    }
  }
}

@Suite(.removesTemporaryFiles) struct WriterErrorTests {
  func int32Column(_ name: String, _ values: [Int32], validity: Bitmap? = nil, optional: Bool = true)
    -> ColumnData
  {
    let element = SchemaElement.leaf(name, .int32, optional: optional)
    let descriptor = ColumnDescriptor(
      index: 0, path: [name], element: element, maxDefinitionLevel: optional ? 1 : 0, maxRepetitionLevel: 0)
    return ColumnData(descriptor: descriptor, values: .int32(values), validity: validity)
  }

  func expectError(_ kind: ParquetError.Kind, column: String? = nil, _ body: () throws -> Void) {
    do {
      try body()
      Issue.record("expected a \(kind) error")
    } catch let error as ParquetError {
      #expect(error.kind == kind, "\(error)")
      if let column { #expect(error.column == column, "\(error)") }
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func refusesNullsInARequiredColumn() throws {
    var validity = Bitmap()
    for bit in [true, false, true] { validity.append(bit) }
    let column = int32Column("a", [1, 0, 3], validity: validity, optional: false)
    let path = TemporaryFiles.path("required-nulls.parquet")
    expectError(.invalidArgument, column: "a") { try ParquetWriter.write([column], to: path) }
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func refusesTheWrongPhysicalType() throws {
    let path = TemporaryFiles.path("wrong-type.parquet")
    let writer = try ParquetWriter(path: path, schema: [.leaf("a", .int64, optional: false)])
    expectError(.invalidArgument, column: "a") { try writer.write([int32Column("a", [1], optional: false)]) }
  }

  @Test func refusesColumnsOfUnequalLength() throws {
    let path = TemporaryFiles.path("unequal.parquet")
    let writer = try ParquetWriter(
      path: path, schema: [.leaf("a", .int32, optional: true), .leaf("b", .int32, optional: true)])
    expectError(.invalidArgument) { try writer.write([int32Column("a", [1, 2]), int32Column("b", [1])]) }
  }

  @Test func refusesNestedSchemasAndLzo() {
    let path = TemporaryFiles.path("refused.parquet")
    expectError(.unsupported) {
      _ = try ParquetWriter(
        path: path, schema: [SchemaElement(name: "g", repetitionType: .optional, numChildren: 1)])
    }
    expectError(.unsupported) {
      _ = try ParquetWriter(
        path: path, schema: [SchemaElement(name: "r", type: .int32, repetitionType: .repeated)])
    }
    var options = ParquetWriterOptions()
    options.codec = .lzo
    expectError(.unsupported) {
      _ = try ParquetWriter(path: path, schema: [.leaf("a", .int32, optional: true)], options: options)
    }
    expectError(.invalidArgument) {
      _ = try ParquetWriter(path: path, schema: [.leaf("f", .fixedLenByteArray, optional: true)])
    }
  }

  @Test func unwritableDirectoryIsAnIOError() {
    expectError(.io) {
      _ = try ParquetWriter(path: "/nonexistent-dir/x.parquet", schema: [.leaf("a", .int32, optional: true)])
    }
  }

  /// Until `close()`, the destination keeps its old contents; a writer dropped without closing leaves no file.
  @Test func destinationChangesOnlyOnClose() throws {
    // A directory of its own: other tests create temporary files concurrently.
    let directory = TemporaryFiles.path("atomic")
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let path = directory + "/atomic.parquet"
    try Data("old".utf8).write(to: URL(fileURLWithPath: path))
    let before = try FileManager.default.contentsOfDirectory(atPath: directory).count
    do {
      let writer = try ParquetWriter(path: path, schema: [.leaf("a", .int32, optional: true)])
      try writer.write([int32Column("a", [1, 2, 3])])
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old".utf8))
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old".utf8))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == before)
    let writer = try ParquetWriter(path: path, schema: [.leaf("a", .int32, optional: true)])
    try writer.write([int32Column("a", [1, 2, 3])])
    try writer.close()
    let file = try ParquetFile(path: path)
    #expect(try file.readColumn("a").values == .int32([1, 2, 3]))
  }

  @Test func emptyFileHasOneEmptyRowGroup() throws {
    let path = TemporaryFiles.path("empty.parquet")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ParquetWriter.write([int32Column("a", [])], to: path)
    let file = try ParquetFile(path: path)
    #expect(file.rowCount == 0)
    #expect(try file.readColumn("a").count == 0)
  }
}
