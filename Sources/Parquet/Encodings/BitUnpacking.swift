// Unpacks little-endian (LSB-first) bit-packed integers, 8 values at a time: 8 values of width w fill exactly
// w bytes. Callers guarantee 8 readable bytes past each group (or pass a zero-padded copy): see `PaddedGroup`.

enum BitUnpacking {
  /// Unpacks 8 values of `width` (0...32) bits from `source` into `output`.
  /// Requires `width + 8` readable bytes at `source`.
  @inline(__always)
  static func unpack8(_ source: UnsafeRawPointer, width: Int, into output: UnsafeMutablePointer<UInt32>) {
    if width == 0 {
      output.update(repeating: 0, count: 8)
      return
    }
    let mask: UInt64 = (1 << UInt64(width)) - 1
    if width <= 8 {
      let word = UInt64(littleEndian: source.loadUnaligned(as: UInt64.self))
      for i in 0..<8 { output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(i * width)) & mask) }
      return
    }
    for i in 0..<8 {
      let bit = i * width
      let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
      output[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
    }
  }

  /// Unpacks 8 values of `width` (0...64) bits from `source` into `output`.
  /// Requires `width + 8` readable bytes at `source`.
  @inline(__always)
  static func unpack8x64(_ source: UnsafeRawPointer, width: Int, into output: UnsafeMutablePointer<UInt64>) {
    if width == 0 {
      output.update(repeating: 0, count: 8)
      return
    }
    let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
    for i in 0..<8 {
      let bit = i * width
      let shift = UInt64(bit & 7)
      let low = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self)) >> shift
      var value = low
      if shift != 0 && width + Int(shift) > 64 {
        let high = UInt64(source.load(fromByteOffset: (bit >> 3) + 8, as: UInt8.self))
        value |= high << (64 - shift)
      }
      output[i] = value & mask
    }
  }
}

/// A zero-padded copy of the last group(s) of a buffer, so `unpack8` can read past the data's end safely.
struct PaddedGroup {
  private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

  /// Copies up to 72 bytes from `source` (fewer if `available` is smaller), zero-filling the rest,
  /// and calls `body` with a pointer to the copy.
  mutating func with<T>(
    _ source: UnsafeRawPointer, available: Int, _ body: (UnsafeRawPointer) -> T
  ) -> T {
    withUnsafeMutableBytes(of: &storage) { buffer in
      buffer.initializeMemory(as: UInt8.self, repeating: 0)
      let count = min(max(available, 0), buffer.count)
      if count > 0, let base = buffer.baseAddress { base.copyMemory(from: source, byteCount: count) }
      return body(UnsafeRawPointer(buffer.baseAddress ?? UnsafeMutableRawPointer(mutating: source)))
    }
  }
}
