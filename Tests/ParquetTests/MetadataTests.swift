// Footer decoding against facts about the corpus that pyarrow reports (`pq.read_metadata`).
import Foundation
import Testing

@testable import Parquet

@Test func decodesAlltypesPlainFooter() throws {
  let bytes = try [UInt8](Data(contentsOf: Corpus.data.appendingPathComponent("alltypes_plain.parquet")))
  let length = Int(
    UInt32(bytes[bytes.count - 8]) | UInt32(bytes[bytes.count - 7]) << 8
      | UInt32(bytes[bytes.count - 6]) << 16 | UInt32(bytes[bytes.count - 5]) << 24)
  let footer = Array(bytes[(bytes.count - 8 - length)..<(bytes.count - 8)])
  let meta = try footer.withUnsafeBytes { try FileMetaData.decode($0) }
  #expect(meta.numRows == 8)
  #expect(meta.rowGroups.count == 1)
  #expect(meta.schema.count == 12)
  #expect(meta.schema[1].name == "id")
  #expect(meta.schema[1].type == .int32)
  #expect(meta.schema[1].repetitionType == .optional)
  #expect(meta.rowGroups[0].columns[9].metaData?.type == .byteArray)
  #expect(meta.rowGroups[0].columns[9].metaData?.pathInSchema == ["string_col"])
}

@Test func truncatedFooterThrowsInsteadOfCrashing() throws {
  let bytes = try [UInt8](Data(contentsOf: Corpus.data.appendingPathComponent("alltypes_plain.parquet")))
  let footer = Array(bytes[(bytes.count - 8 - 700)..<(bytes.count - 8)])
  for cut in stride(from: 0, to: footer.count - 1, by: 7) {
    let prefix = Array(footer[..<cut])
    #expect(throws: ParquetError.self) { try prefix.withUnsafeBytes { try FileMetaData.decode($0) } }
  }
}
