// RLE encoding of BOOLEAN values (Encodings.md): a 4-byte little-endian length, then the RLE/bit-packed
// hybrid with bit width 1.
//   rle-booleans := <length: u32 LE> <rle-bit-packed-hybrid, bit width 1>
// Refuses a length past the page's end.

struct RleBooleanDecoder: ValuesDecoder {
  private var hybrid: RleBitPackedHybridDecoder
  private var scratch: [UInt32] = []

  init(_ data: UnsafeRawBufferPointer) throws(ParquetError) {
    guard data.count >= 4 else {
      throw ParquetError(.corruptPage, "RLE booleans without their length prefix")
    }
    let length = Int(UInt32(littleEndian: data.loadUnaligned(as: UInt32.self)))
    guard length <= data.count - 4 else {
      throw ParquetError(
        .corruptPage, "RLE booleans: length \(length) exceeds the \(data.count - 4) bytes left")
    }
    hybrid = try RleBitPackedHybridDecoder(
      UnsafeRawBufferPointer(rebasing: data[4..<4 + length]), bitWidth: 1)
  }

  mutating func decode(_ count: Int, into buffer: inout [Bool]) throws(ParquetError) {
    if scratch.count < count { scratch = [UInt32](repeating: 0, count: count) }
    var values = scratch
    scratch = []
    try values.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in
      guard let base = out.baseAddress else { return }
      try hybrid.decode(into: base, count: count)
      buffer.reserveCapacity(buffer.count + count)
      for i in 0..<count { buffer.append(out[i] != 0) }
    }
    scratch = values
  }
}
