// GZIP over zlib. Decoding auto-detects gzip and zlib headers (windowBits 15+32) and accepts several
// concatenated gzip members, as some writers emit one member per chunk. Encoding writes one gzip member.
// Refuses output beyond the expected size and trailing garbage after the last member.
import CCompression

enum Gzip {
  private static let autoDetectWindowBits: Int32 = 15 + 32
  private static let gzipWindowBits: Int32 = 15 + 16

  static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(CodecError) -> Int
  {
    var stream = z_stream()
    stream.avail_in = try cSize(input.count, .gzip, "input")
    stream.avail_out = try cSize(output.count, .gzip, "output")
    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
    let initStatus = inflateInit2_(
      &stream, autoDetectWindowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard initStatus == Z_OK else { throw CodecError(.gzip, "inflateInit2 failed with status \(initStatus)") }
    defer { inflateEnd(&stream) }
    try inflateMembers(&stream, inputCount: input.count, outputCount: output.count)
    return output.count - Int(stream.avail_out)
  }

  /// Inflates until the input is used up, restarting after each member that ends before the input does.
  private static func inflateMembers(_ stream: inout z_stream, inputCount: Int, outputCount: Int)
    throws(CodecError)
  {
    while true {
      let status = inflate(&stream, Z_NO_FLUSH)
      let offset = inputCount - Int(stream.avail_in)
      switch status {
      case Z_STREAM_END:
        if stream.avail_in == 0 { return }
        guard inflateReset(&stream) == Z_OK else { throw CodecError(.gzip, "inflateReset failed") }
      case Z_OK:
        continue
      case Z_BUF_ERROR where stream.avail_out == 0 && stream.avail_in > 0:
        throw CodecError(.gzip, "data decompresses to more than the expected \(outputCount) bytes")
      case Z_BUF_ERROR:
        throw CodecError(.gzip, "truncated input: stream ends at byte \(offset) of \(inputCount) unfinished")
      default:
        throw CodecError(
          .gzip, "corrupt data near byte \(offset) of \(inputCount): \(message(stream, status))")
      }
    }
  }

  private static func message(_ stream: z_stream, _ status: Int32) -> String {
    guard let text = stream.msg else { return "zlib status \(status)" }
    return String(cString: text)
  }

  static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(CodecError) -> [UInt8] {
    let zlibLevel: Int32 =
      try level.map { (level) throws(CodecError) -> Int32 in
        guard (0...9).contains(level) else { throw CodecError(.gzip, "level \(level) outside 0...9") }
        return Int32(level)
      } ?? Z_DEFAULT_COMPRESSION
    var stream = z_stream()
    let initStatus = deflateInit2_(
      &stream, zlibLevel, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
      Int32(MemoryLayout<z_stream>.size))
    guard initStatus == Z_OK else { throw CodecError(.gzip, "deflateInit2 failed with status \(initStatus)") }
    defer { deflateEnd(&stream) }
    let inputCount: UInt32 = try cSize(input.count, .gzip, "input")
    let bound = Int(deflateBound(&stream, uLong(inputCount)))
    return try Codecs.makeOutput(capacity: bound) { (output) throws(CodecError) -> Int in
      stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
      stream.avail_in = inputCount
      stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
      stream.avail_out = try cSize(output.count, .gzip, "output")
      let status = deflate(&stream, Z_FINISH)
      guard status == Z_STREAM_END else { throw CodecError(.gzip, "deflate failed with status \(status)") }
      return output.count - Int(stream.avail_out)
    }
  }
}
