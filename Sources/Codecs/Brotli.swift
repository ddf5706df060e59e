// BROTLI over libbrotli's streaming decoder (for precise errors: truncated, too long, corrupt) and one-shot
// encoder. Refuses trailing bytes after the end of the stream.
import CCompression

enum Brotli {
  /// Arrow's default quality (brotli's own default, 11, is several times slower for little gain).
  static let defaultQuality: Int32 = 8

  static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(CodecError) -> Int
  {
    guard let decoder = BrotliDecoderCreateInstance(nil, nil, nil) else {
      throw CodecError(.brotli, "cannot create a decoder (out of memory)")
    }
    defer { BrotliDecoderDestroyInstance(decoder) }
    var availableIn = input.count
    var nextIn = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
    var availableOut = output.count
    var nextOut = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
    let result = BrotliDecoderDecompressStream(decoder, &availableIn, &nextIn, &availableOut, &nextOut, nil)
    let offset = input.count - availableIn
    switch result {
    case BROTLI_DECODER_RESULT_SUCCESS:
      guard availableIn == 0 else {
        throw CodecError(.brotli, "\(availableIn) trailing bytes after the stream ends at byte \(offset)")
      }
      return output.count - availableOut
    case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
      throw CodecError(.brotli, "data decompresses to more than the expected \(output.count) bytes")
    case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
      throw CodecError(.brotli, "truncated input: stream unfinished after \(input.count) bytes")
    default:
      let code = BrotliDecoderGetErrorCode(decoder)
      let name = BrotliDecoderErrorString(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
      throw CodecError(.brotli, "corrupt data near byte \(offset) of \(input.count): \(name)")
    }
  }

  static func compress(_ input: UnsafeRawBufferPointer, level: Int?) throws(CodecError) -> [UInt8] {
    let quality: Int32 =
      try level.map { (level) throws(CodecError) -> Int32 in
        guard (Int(BROTLI_MIN_QUALITY)...Int(BROTLI_MAX_QUALITY)).contains(level) else {
          throw CodecError(.brotli, "level \(level) outside \(BROTLI_MIN_QUALITY)...\(BROTLI_MAX_QUALITY)")
        }
        return Int32(level)
      } ?? defaultQuality
    let bound = BrotliEncoderMaxCompressedSize(input.count)
    guard bound > 0 else { throw CodecError(.brotli, "input of \(input.count) bytes is too large") }
    return try Codecs.makeOutput(capacity: bound) { (output) throws(CodecError) -> Int in
      var written = output.count
      let ok = BrotliEncoderCompress(
        quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input.count,
        input.baseAddress?.assumingMemoryBound(to: UInt8.self), &written,
        output.baseAddress?.assumingMemoryBound(to: UInt8.self))
      guard ok == BROTLI_TRUE else { throw CodecError(.brotli, "compression failed") }
      return written
    }
  }
}
