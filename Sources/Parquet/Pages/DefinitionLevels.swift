// Definition levels of flat columns, turned into per-slot validity flags (1 = value, 0 = null).
//   v1 RLE:        <length: u32 LE> <rle-bit-packed-hybrid, width = bits(max level)>
//   v1 BIT_PACKED: ceil(n * width / 8) bytes, values packed MSB first (deprecated)
//   v2:            <rle-bit-packed-hybrid> of `definition_levels_byte_length` bytes, no length prefix
// Refuses levels above the column's maximum and level data shorter than the page's value count.

enum DefinitionLevels {
  static func bitWidth(_ maxLevel: Int) -> Int {
    maxLevel == 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount
  }

  /// Decodes v1 levels at the front of `data`; returns how many bytes they took.
  static func decodeV1(
    _ data: UnsafeRawBufferPointer, encoding: Encoding, maxLevel: Int, count: Int,
    levels: inout [UInt32], flags: inout [UInt8]
  ) throws(ParquetError) -> Int {
    switch encoding {
    case .rle:
      guard data.count >= 4 else {
        throw ParquetError(.corruptPage, "definition levels without a length prefix")
      }
      let length = Int(UInt32(littleEndian: data.loadUnaligned(as: UInt32.self)))
      guard length <= data.count - 4 else {
        throw ParquetError(
          .corruptPage, "definition levels of \(length) bytes, \(data.count - 4) in the page")
      }
      try decodeHybrid(
        UnsafeRawBufferPointer(rebasing: data[4..<4 + length]), maxLevel: maxLevel, count: count,
        levels: &levels,
        flags: &flags)
      return 4 + length
    case .bitPacked:
      return try decodeBitPacked(data, maxLevel: maxLevel, count: count, flags: &flags)
    default:
      throw ParquetError(.unsupported, "definition level encoding \(encoding)")
    }
  }

  /// Decodes hybrid-encoded levels (v2 pages, or the body of v1 RLE levels).
  static func decodeHybrid(
    _ data: UnsafeRawBufferPointer, maxLevel: Int, count: Int, levels: inout [UInt32], flags: inout [UInt8]
  ) throws(ParquetError) {
    var decoder = try RleBitPackedHybridDecoder(data, bitWidth: bitWidth(maxLevel))
    if levels.count < count { levels = [UInt32](repeating: 0, count: count) }
    flags.removeAll(keepingCapacity: true)
    flags.append(contentsOf: repeatElement(0, count: count))
    try levels.withUnsafeMutableBufferPointer { (out) throws(ParquetError) in
      guard let base = out.baseAddress, count > 0 else { return }
      try decoder.decode(into: base, count: count)
      let maximum = UInt32(maxLevel)
      var highest: UInt32 = 0
      flags.withUnsafeMutableBufferPointer { flags in
        for i in 0..<count {
          highest = max(highest, out[i])
          flags[i] = out[i] == maximum ? 1 : 0
        }
      }
      guard highest <= maximum else {
        throw ParquetError(.corruptPage, "definition level \(highest) above the column's maximum \(maxLevel)")
      }
    }
  }

  private static func decodeBitPacked(
    _ data: UnsafeRawBufferPointer, maxLevel: Int, count: Int, flags: inout [UInt8]
  ) throws(ParquetError) -> Int {
    let width = bitWidth(maxLevel)
    let length = (count * width + 7) / 8
    guard length <= data.count else {
      throw ParquetError(.corruptPage, "BIT_PACKED levels need \(length) bytes, the page has \(data.count)")
    }
    flags.removeAll(keepingCapacity: true)
    for i in 0..<count {
      var level = 0
      for b in 0..<width {
        let bit = i * width + b
        level = level << 1 | Int(data[bit >> 3] >> UInt8(7 - bit & 7) & 1)
      }
      guard level <= maxLevel else {
        throw ParquetError(.corruptPage, "definition level \(level) above the column's maximum \(maxLevel)")
      }
      flags.append(level == maxLevel ? 1 : 0)
    }
    return length
  }
}
