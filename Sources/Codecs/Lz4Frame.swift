// The LZ4 frame format (lz4frame.h), reached only as the last fallback of Parquet's deprecated LZ4 codec.
// Accepts several concatenated frames; refuses output beyond the expected size and truncated frames.
import CCompression

enum Lz4Frame {
  private static let magic: [UInt8] = [0x04, 0x22, 0x4D, 0x18]

  static func hasMagic(_ input: UnsafeRawBufferPointer) -> Bool {
    input.count >= magic.count && zip(input.prefix(magic.count), magic).allSatisfy { $0 == $1 }
  }

  static func decompress(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, codec: CompressionCodec
  ) throws(CodecError) -> Int {
    var context: OpaquePointer?
    let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
    guard LZ4F_isError(created) == 0, let context else {
      throw CodecError(codec, "cannot create an LZ4 frame decoder")
    }
    defer { LZ4F_freeDecompressionContext(context) }
    var inputOffset = 0
    var outputOffset = 0
    var hint = 1
    while inputOffset < input.count {
      var consumed = input.count - inputOffset
      var produced = output.count - outputOffset
      hint = LZ4F_decompress(
        context, output.baseAddress.map { $0 + outputOffset }, &produced,
        input.baseAddress.map { $0 + inputOffset },
        &consumed, nil)
      if LZ4F_isError(hint) != 0 {
        let name = LZ4F_getErrorName(hint).map { String(cString: $0) } ?? "error"
        throw CodecError(codec, "corrupt LZ4 frame near byte \(inputOffset) of \(input.count): \(name)")
      }
      inputOffset += consumed
      outputOffset += produced
      if consumed == 0 && produced == 0 {
        throw CodecError(codec, "LZ4 frame decompresses to more than the expected \(output.count) bytes")
      }
    }
    guard hint == 0 else { throw CodecError(codec, "truncated LZ4 frame after \(input.count) bytes") }
    return outputOffset
  }
}
