// Walks the pages of one column chunk: header (Thrift), then `compressed_page_size` bytes of body.
// Checks every size against the chunk's bytes and verifies the page CRC (CRC32 of the stored, compressed body)
// when the writer recorded one. Refuses negative sizes, bodies past the chunk's end and CRC mismatches.
import CCompression

/// One page as stored: its header and its (maybe compressed) body, which lives as long as the chunk's bytes.
struct RawPage {
  let header: PageHeader
  let body: UnsafeRawBufferPointer
  let index: Int
  let offset: Int
}

struct PageIterator {
  private let chunk: UnsafeRawBufferPointer
  private let chunkStart: Int
  private var position = 0
  private var index = 0
  let verifyChecksums: Bool

  init(chunk: UnsafeRawBufferPointer, chunkStart: Int, verifyChecksums: Bool = true) {
    self.chunk = chunk
    self.chunkStart = chunkStart
    self.verifyChecksums = verifyChecksums
  }

  var isAtEnd: Bool { position >= chunk.count }

  /// The next page, or nil at the chunk's end.
  mutating func next() throws(ParquetError) -> RawPage? {
    guard position < chunk.count else { return nil }
    let offset = chunkStart + position
    let (header, headerLength): (PageHeader, Int)
    do {
      (header, headerLength) = try PageHeader.decode(UnsafeRawBufferPointer(rebasing: chunk[position...]))
    } catch {
      throw error.adding(page: index, offset: offset)
    }
    let bodyStart = position + headerLength
    let size = Int(header.compressedPageSize)
    guard size <= chunk.count - bodyStart else {
      throw ParquetError(
        .corruptPage,
        "page body of \(size) bytes runs past the column chunk (\(chunk.count - bodyStart) left)",
        page: index, offset: offset)
    }
    let body = UnsafeRawBufferPointer(rebasing: chunk[bodyStart..<bodyStart + size])
    if verifyChecksums, let expected = header.crc { try verify(body, expected: expected, offset: offset) }
    let page = RawPage(header: header, body: body, index: index, offset: offset)
    position = bodyStart + size
    index += 1
    return page
  }

  private func verify(_ body: UnsafeRawBufferPointer, expected: Int32, offset: Int) throws(ParquetError) {
    var crc: UInt = crc32(0, nil, 0)
    if let base = body.baseAddress {
      crc = crc32(crc, base.assumingMemoryBound(to: Bytef.self), UInt32(body.count))
    }
    let actual = UInt32(truncatingIfNeeded: crc)
    guard actual == UInt32(bitPattern: expected) else {
      throw ParquetError(
        .checksumMismatch,
        "page CRC32 is \(String(actual, radix: 16)), header says \(String(UInt32(bitPattern: expected), radix: 16))",
        page: index, offset: offset)
    }
  }
}
