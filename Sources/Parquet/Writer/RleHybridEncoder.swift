// Encoder for the RLE / bit-packing hybrid (Encodings.md), used for definition levels and dictionary indices:
//
//   encoded-data := <run>*
//   run := <bit-packed-run> | <rle-run>
//   bit-packed-run := varint(<number of groups of 8> << 1 | 1) <values, LSB first, bit-width bits each>
//   rle-run := varint(<run length> << 1) <value in ceil(bit-width / 8) bytes, little-endian>
//
// Runs of 8 or more equal values become RLE runs; everything else is bit-packed in groups of 8, the last group
// zero-padded (readers stop at the page's value count). No length prefix: callers add the 4-byte one where the
// page format wants it. Refuses nothing; values must fit `bitWidth` (callers compute it from the maximum).

enum RleHybridEncoder {
  /// The bit width needed for values up to `maximum`.
  static func bitWidth(forMaximum maximum: UInt32) -> Int { UInt32.bitWidth - maximum.leadingZeroBitCount }

  /// Appends the hybrid encoding of `values` to `output`.
  static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into output: inout [UInt8]) {
    var start = 0
    while start < values.count {
      let run = runLength(values, from: start)
      if run >= 8 {
        appendRleRun(value: values[start], count: run, bitWidth: bitWidth, into: &output)
        start += run
      } else {
        start = appendBitPackedRun(values, from: start, bitWidth: bitWidth, into: &output)
      }
    }
  }

  static func encode(_ values: [UInt32], bitWidth: Int, into output: inout [UInt8]) {
    values.withUnsafeBufferPointer { encode($0, bitWidth: bitWidth, into: &output) }
  }

  private static func runLength(_ values: UnsafeBufferPointer<UInt32>, from start: Int) -> Int {
    let first = values[start]
    var end = start + 1
    while end < values.count && values[end] == first { end += 1 }
    return end - start
  }

  private static func appendRleRun(value: UInt32, count: Int, bitWidth: Int, into output: inout [UInt8]) {
    appendVarint(UInt64(count) << 1, into: &output)
    for byte in 0..<(bitWidth + 7) / 8 { output.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
  }

  /// Bit-packs groups of 8 from `start` until a run of 8 equal values begins at a group boundary (or the data
  /// ends); returns where it stopped.
  private static func appendBitPackedRun(
    _ values: UnsafeBufferPointer<UInt32>, from start: Int, bitWidth: Int, into output: inout [UInt8]
  ) -> Int {
    var end = start
    repeat { end += 8 } while end < values.count && runLength(values, from: end) < 8
    let groups = (end - start) / 8
    appendVarint(UInt64(groups) << 1 | 1, into: &output)
    var accumulator: UInt64 = 0
    var bits = 0
    for index in start..<end {
      let value = index < values.count ? UInt64(values[index]) : 0
      accumulator |= value << UInt64(bits)
      bits += bitWidth
      while bits >= 8 {
        output.append(UInt8(truncatingIfNeeded: accumulator))
        accumulator >>= 8
        bits -= 8
      }
    }
    // 8 values of any width fill whole bytes, so nothing is left over here.
    return min(end, values.count)
  }

  static func appendVarint(_ value: UInt64, into output: inout [UInt8]) {
    var rest = value
    while rest >= 0x80 {
      output.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    output.append(UInt8(truncatingIfNeeded: rest))
  }
}
