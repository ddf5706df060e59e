// Damaged input gives a typed error, never a crash: truncations, flipped bytes, forged headers, bad CRCs.
// Each corrupts a good file in memory and reads every column (debug builds trap on overflow, so a missed
// check shows up here as a crash).
import Foundation
import Testing

@testable import Parquet

private func corpusBytes(_ name: String) throws -> [UInt8] {
  try [UInt8](Data(contentsOf: Corpus.data.appendingPathComponent(name)))
}

/// Opens `bytes` and reads every readable column; returns the error, if any (any other error fails the test).
@discardableResult
private func readAll(_ bytes: [UInt8]) -> ParquetError? {
  do {
    let file = try ParquetFile(bytes: bytes, name: "corrupted")
    for column in file.columns where column.unsupportedReason == nil {
      for group in 0..<file.rowGroupCount { _ = try file.readChunk(column, rowGroup: group) }
    }
    return nil
  } catch {
    return error
  }
}

/// Small files covering v1/v2 pages, dictionaries, every delta encoding, RLE booleans, BSS and codecs.
private let damageTargets = [
  "alltypes_plain.parquet", "alltypes_dictionary.parquet", "datapage_v2.snappy.parquet",
  "nulls.snappy.parquet",
  "rle_boolean_encoding.parquet", "fixed_length_decimal.parquet", "delta_length_byte_array.parquet",
  "dict-page-offset-zero.parquet", "int32_decimal.parquet", "byte_array_decimal.parquet",
  "delta_encoding_optional_column.parquet", "byte_stream_split.zstd.parquet",
  "plain-dict-uncompressed-checksum.parquet", "float16_nonzeros_and_nans.parquet",
]

@Test(arguments: damageTargets)
func truncatedFilesThrow(_ name: String) throws {
  let bytes = try corpusBytes(name)
  for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
    let error = readAll(Array(bytes[..<length]))
    #expect(
      error?.kind == .notParquet || error?.kind == .truncated,
      "cut at \(length): \(String(describing: error))")
  }
}

@Test(arguments: damageTargets)
func flippedBytesNeverCrash(_ name: String) throws {
  let bytes = try corpusBytes(name)
  var failures = 0
  for offset in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 250)) {
    for mask: UInt8 in [0xff, 0x01] {
      var damaged = bytes
      damaged[offset] ^= mask
      if readAll(damaged) != nil { failures += 1 }
    }
  }
  // Most flips land in values and decode to other values; some must be caught (magic, footer, lengths).
  #expect(failures > 0)
}

@Test func dataRegionTruncatedUnderAnIntactFooter() throws {
  // Keep the footer but drop data bytes from the middle: offsets now point at the wrong bytes or past the data.
  let bytes = try corpusBytes("alltypes_plain.parquet")
  let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
  let footer = Array(bytes[(bytes.count - 8 - footerLength)...])
  let file = try ParquetFile(bytes: bytes)
  let chunkEnds = file.metadata.rowGroups[0].columns.compactMap { $0.metaData }.map {
    Int($0.dictionaryPageOffset ?? $0.dataPageOffset) + Int($0.totalCompressedSize)
  }
  let dataEnd = try #require(chunkEnds.max())
  for cut in stride(from: 4, to: dataEnd, by: 37) {
    let damaged = Array(bytes[..<cut]) + footer
    #expect(readAll(damaged) != nil, "data cut to \(cut) bytes read without error")
  }
}

@Test func badChecksumIsReportedWithItsPlace() throws {
  var bytes = try corpusBytes("plain-dict-uncompressed-checksum.parquet")
  let file = try ParquetFile(bytes: bytes)
  let meta = try #require(file.metadata.rowGroups[0].columns[0].metaData)
  // Damage the last byte of the first column chunk: inside a page body, so only the CRC can notice.
  let last = Int(meta.dictionaryPageOffset ?? meta.dataPageOffset) + Int(meta.totalCompressedSize) - 1
  bytes[last] ^= 0x55
  let damaged = try ParquetFile(bytes: bytes, name: "damaged.parquet")
  let error = #expect(throws: ParquetError.self) { try damaged.readChunk(damaged.columns[0], rowGroup: 0) }
  #expect(error?.kind == .checksumMismatch)
  #expect(error?.file == "damaged.parquet")
  #expect(error?.column == damaged.columns[0].name)
  #expect(error?.rowGroup == 0)
  #expect(error?.page != nil)
}

@Test func encryptedFooterMagicIsRefused() throws {
  var bytes = try corpusBytes("alltypes_plain.parquet")
  bytes.replaceSubrange((bytes.count - 4)..., with: Array("PARE".utf8))
  #expect(readAll(bytes)?.kind == .encrypted)
}

@Test func impossibleFooterLengthIsRefused() throws {
  var bytes = try corpusBytes("alltypes_plain.parquet")
  bytes.replaceSubrange((bytes.count - 8)..<(bytes.count - 4), with: [0xff, 0xff, 0xff, 0x7f])
  #expect(readAll(bytes)?.kind == .notParquet)
}

@Test func notParquetAtAll() {
  #expect(readAll(Array("this is not a parquet file, just text".utf8))?.kind == .notParquet)
  #expect(readAll([])?.kind == .notParquet)
}

@Test func unknownColumnAndRowGroupAreInvalidArguments() throws {
  let file = try ParquetFile(path: Corpus.data.appendingPathComponent("alltypes_plain.parquet").path)
  #expect(throws: ParquetError(.invalidArgument, "no column named 'nope'", file: file.path)) {
    try file.readColumn("nope")
  }
  let error = #expect(throws: ParquetError.self) { try file.readColumn("id", rowGroup: 5) }
  #expect(error?.kind == .invalidArgument)
}
