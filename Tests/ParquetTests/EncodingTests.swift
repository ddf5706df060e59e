// The RLE/bit-packed hybrid decoder at every bit width, against a naive bit-by-bit packer written here from the
// spec (LSB first; run headers as ULEB128), including runs that end mid-group and RLE runs between them.
import Testing

@testable import Parquet

/// Appends `value` as ULEB128.
private func varint(_ value: Int, into out: inout [UInt8]) {
  var v = UInt64(value)
  repeat {
    let byte = UInt8(v & 0x7f)
    v >>= 7
    out.append(v == 0 ? byte : byte | 0x80)
  } while v != 0
}

/// A bit-packed run of `values` (padded to a multiple of 8) followed by an RLE run of `repeated` x `count`.
private func encode(_ values: [UInt32], width: Int, repeated: UInt32, count: Int) -> [UInt8] {
  var out: [UInt8] = []
  let groups = (values.count + 7) / 8
  varint(groups << 1 | 1, into: &out)
  var bits = [Bool]()
  for value in values + [UInt32](repeating: 0, count: groups * 8 - values.count) {
    for bit in 0..<width { bits.append(value >> UInt32(bit) & 1 == 1) }
  }
  for start in stride(from: 0, to: bits.count, by: 8) {
    var byte: UInt8 = 0
    for bit in 0..<8 where start + bit < bits.count && bits[start + bit] { byte |= 1 << UInt8(bit) }
    out.append(byte)
  }
  varint(count << 1, into: &out)
  for i in 0..<(width + 7) / 8 { out.append(UInt8(truncatingIfNeeded: repeated >> UInt32(8 * i))) }
  return out
}

@Test(arguments: Array(0...32))
func hybridDecodesEveryBitWidth(_ width: Int) throws {
  let mask: UInt64 = width == 32 ? 0xffff_ffff : (1 << UInt64(width)) - 1
  // Deterministic pseudo-random values (an LCG), 37 of them: four whole groups and a partial one.
  var state: UInt64 = 12345
  let values = (0..<37).map { _ -> UInt32 in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return UInt32(truncatingIfNeeded: (state >> 20) & mask)
  }
  let repeated = UInt32(truncatingIfNeeded: mask)
  let bytes = encode(values, width: width, repeated: repeated, count: 11)
  let decoded = try decodeHybrid(bytes, width: width, steps: [3, 9, 1, 20, 18])  // crosses groups and runs
  #expect(Array(decoded[0..<37]) == values)
  #expect(Array(decoded[37..<40]) == [0, 0, 0])  // padding of the last group
  #expect(Array(decoded[40...]) == [UInt32](repeating: repeated, count: 11))
}

/// Decodes `steps.reduce(0, +)` values, asking for them in the given chunk sizes.
private func decodeHybrid(_ bytes: [UInt8], width: Int, steps: [Int]) throws -> [UInt32] {
  var decoded = [UInt32](repeating: 0, count: steps.reduce(0, +))
  let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
  defer { raw.deallocate() }
  raw.copyBytes(from: bytes)
  var decoder = try RleBitPackedHybridDecoder(UnsafeRawBufferPointer(raw), bitWidth: width)
  let output = UnsafeMutablePointer<UInt32>.allocate(capacity: decoded.count)
  defer { output.deallocate() }
  var done = 0
  for step in steps {
    try decoder.decode(into: output + done, count: step)
    done += step
  }
  for i in 0..<decoded.count { decoded[i] = output[i] }
  return decoded
}

@Test func hybridRefusesWidthsOver32AndRunsPastTheEnd() {
  let bytes: [UInt8] = [0x03, 0xff]  // a bit-packed run of one group at width 8, then nothing
  #expect(throws: ParquetError.self) { _ = try decodeHybrid(bytes, width: 33, steps: [1]) }
  let error = #expect(throws: ParquetError.self) { _ = try decodeHybrid(bytes, width: 8, steps: [16]) }
  #expect(error?.kind == .corruptPage)
}
