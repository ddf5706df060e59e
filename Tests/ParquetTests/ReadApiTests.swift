// The public read API: projection, row-group concatenation, parallel decoding, nested refusal, epoch helper.
import Foundation
import Testing

@testable import Parquet

private func openCorpusFile(_ name: String) throws -> ParquetFile {
  try ParquetFile(path: Corpus.data.appendingPathComponent(name).path)
}

@Test func parallelReadEqualsSerialRead() throws {
  // Many row groups and pages: the chunks finish in any order on the workers.
  let file = try openCorpusFile("alltypes_tiny_pages_plain.parquet")
  let serial = try file.readColumns(nil, threads: 1)
  let parallel = try file.readColumns(nil, threads: 4)
  #expect(serial == parallel)
  #expect(serial.allSatisfy { $0.count == file.rowCount })
}

@Test func rowGroupsConcatenateInOrder() throws {
  let file = try openCorpusFile("sort_columns.parquet")
  #expect(file.rowGroupCount == 2)
  let whole = try file.readColumn("a")
  let first = try file.readColumn("a", rowGroup: 0)
  let second = try file.readColumn("a", rowGroup: 1)
  #expect(whole.count == first.count + second.count)
  let renderer = CanonicalRenderer(whole)
  let parts = [CanonicalRenderer(first), CanonicalRenderer(second)]
  let joined = (0..<first.count).map { parts[0].render($0) } + (0..<second.count).map { parts[1].render($0) }
  #expect((0..<whole.count).map { renderer.render($0) } == joined)
}

@Test func projectionKeepsTheRequestedOrder() throws {
  let file = try openCorpusFile("alltypes_plain.parquet")
  let columns = try file.readColumns(["string_col", "id"])
  #expect(columns.map(\.descriptor.name) == ["string_col", "id"])
}

@Test func nestedColumnsAreRefusedByNameWhileFlatOnesRead() throws {
  let file = try openCorpusFile("nested_lists.snappy.parquet")
  let nested = try #require(file.columns.first { $0.unsupportedReason != nil })
  let error = #expect(throws: ParquetError.self) { try file.readColumn(nested.name) }
  #expect(error?.kind == .unsupported)
  #expect(error?.column == nested.name)
  #expect(try file.readColumn("b").count == file.rowCount)
}

@Test func timestampsAsEpochMicroseconds() throws {
  // pyarrow: pq.read_table('alltypes_plain.parquet')['timestamp_col'][0] == 2009-03-01 00:00:00 (INT96)
  let file = try openCorpusFile("alltypes_plain.parquet")
  let micros = try #require(try file.readColumn("timestamp_col").epochMicroseconds())
  #expect(micros[0] == 1_235_865_600_000_000)
  #expect(try file.readColumn("id").epochMicroseconds() == nil)
}
