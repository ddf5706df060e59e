// ZSTD over libzstd. Decoding accepts several concatenated frames, skippable frames and frames that do not
// declare their content size (ZSTD_decompress handles all three into a buffer of known capacity).
// Refuses output beyond the expected size.
import CCompression

enum Zstd {
  /// Arrow's default level (zstd's own default is 3).
  static let defaultLevel: Int32 = 1

  static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(CodecError) -> Int
  {
    let written = ZSTD_decompress(output.baseAddress, output.count, input.baseAddress, input.count)
    if ZSTD_isError(written) != 0 {
      let name = ZSTD_getErrorName(written).map { String(cString: $0) } ?? "error"
      throw CodecError(.zstd, "\(name) (\(input.count) compressed bytes, expected \(output.count) bytes)")
    }
    return written
  }

  static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(CodecError) -> [UInt8] {
    let zstdLevel: Int32 =
      try level.map { (level) throws(CodecError) -> Int32 in
        guard (Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel())).contains(level) else {
          throw CodecError(.zstd, "level \(level) outside \(ZSTD_minCLevel())...\(ZSTD_maxCLevel())")
        }
        return Int32(level)
      } ?? defaultLevel
    let bound = ZSTD_compressBound(input.count)
    guard ZSTD_isError(bound) == 0 else {
      throw CodecError(.zstd, "input of \(input.count) bytes is too large")
    }
    return try Codecs.makeOutput(capacity: bound) { (output) throws(CodecError) -> Int in
      let written = ZSTD_compress(output.baseAddress, output.count, input.baseAddress, input.count, zstdLevel)
      guard ZSTD_isError(written) == 0 else {
        let name = ZSTD_getErrorName(written).map { String(cString: $0) } ?? "error"
        throw CodecError(.zstd, "compression failed: \(name)")
      }
      return written
    }
  }
}
