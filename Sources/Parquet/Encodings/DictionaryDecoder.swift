// RLE_DICTIONARY / PLAIN_DICTIONARY data pages (Encodings.md): indices into the chunk's dictionary page.
//   dictionary-indices := <bit width: 1 byte> <rle-bit-packed-hybrid of indices, no length prefix>
// Refuses bit widths over 32, a missing dictionary and indices past the dictionary's end.

struct DictionaryDecoder<Buffer: ValueBuffer>: ValuesDecoder {
  private let dictionary: Buffer
  private var indices: RleBitPackedHybridDecoder
  private var scratch: [UInt32] = []

  init(_ data: UnsafeRawBufferPointer, dictionary: Buffer) throws(ParquetError) {
    self.dictionary = dictionary
    guard let width = data.first else {
      indices = try RleBitPackedHybridDecoder(data, bitWidth: 0)
      return
    }
    indices = try RleBitPackedHybridDecoder(
      UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(width))
  }

  mutating func decode(_ count: Int, into buffer: inout Buffer) throws(ParquetError) {
    if count == 0 { return }
    if scratch.count < count { scratch = [UInt32](repeating: 0, count: count) }
    var values = scratch
    scratch = []
    try values.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in
      guard let base = out.baseAddress else { return }
      try indices.decode(into: base, count: count)
      try buffer.appendGathered(from: dictionary, indices: UnsafeBufferPointer(start: base, count: count))
    }
    scratch = values
  }
}
