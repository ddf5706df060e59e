// LZ4_RAW: one raw LZ4 block (no header, no checksum) over liblz4's safe decoder, which never reads or writes
// outside the buffers it is given. Blocks are limited to LZ4's 2 GB block size.
import CCompression

enum Lz4Raw {
  /// Decodes one block; `codec` names the Parquet codec in errors (the Hadoop framing reuses this).
  static func decompress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, codec: CompressionCodec
  ) throws(CodecError) -> Int {
    let written = try decodeBlock(input, into: output, codec: codec)
    guard written >= 0 else {
      throw CodecError(
        codec, "corrupt LZ4 block (\(input.count) bytes) or longer than the expected \(output.count) bytes")
    }
    return written
  }

  /// Returns the decoded length, or a negative number when the block is malformed or too long for `output`.
  static func decodeBlock(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, codec: CompressionCodec
  ) throws(CodecError) -> Int {
    let inputCount: Int32 = try cSize(input.count, codec, "LZ4 block")
    let outputCount: Int32 = try cSize(output.count, codec, "LZ4 output")
    return Int(
      LZ4_decompress_safe(
        input.baseAddress?.assumingMemoryBound(to: CChar.self),
        output.baseAddress?.assumingMemoryBound(to: CChar.self), inputCount, outputCount))
  }

  static func compress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec) throws(CodecError) -> [UInt8]
  {
    let inputCount: Int32 = try cSize(input.count, codec, "LZ4 input")
    let bound = Int(LZ4_compressBound(inputCount))
    guard bound > 0 else { throw CodecError(codec, "input of \(input.count) bytes is too large for LZ4") }
    return try Codecs.makeOutput(capacity: bound) { (output) throws(CodecError) -> Int in
      try compressBlock(input, into: output, codec: codec)
    }
  }

  /// Compresses `input` into `output` (at least `LZ4_compressBound` bytes); returns the block's length.
  static func compressBlock(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, codec: CompressionCodec
  ) throws(CodecError) -> Int {
    let inputCount: Int32 = try cSize(input.count, codec, "LZ4 input")
    let outputCount: Int32 = try cSize(output.count, codec, "LZ4 output")
    let written = LZ4_compress_default(
      input.baseAddress?.assumingMemoryBound(to: CChar.self),
      output.baseAddress?.assumingMemoryBound(to: CChar.self), inputCount, outputCount)
    guard written > 0 else { throw CodecError(codec, "LZ4 compression failed") }
    return Int(written)
  }
}
