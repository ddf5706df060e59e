// Parquet's deprecated LZ4 codec. Three layouts exist in the wild, tried in this order (as Arrow does, plus the
// frame format that early parquet-cpp wrote):
//   1. Hadoop framing: repeated [uncompressed size: u32 BE][compressed size: u32 BE][raw LZ4 block];
//   2. one raw LZ4 block (parquet-cpp before 1.5 / Arrow < 1.0);
//   3. the LZ4 frame format (magic 04 22 4D 18).
// Each attempt must produce exactly the expected size to count. The encoder writes Hadoop framing, one block.
import CCompression

enum Lz4Hadoop {
  private static let headerSize = 8

  static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(CodecError) -> Int
  {
    if let written = try decodeHadoop(input, into: output), written == output.count { return written }
    let raw = try Lz4Raw.decodeBlock(input, into: output, codec: .lz4Hadoop)
    if raw == output.count { return raw }
    if Lz4Frame.hasMagic(input) { return try Lz4Frame.decompress(input, into: output, codec: .lz4Hadoop) }
    throw CodecError(
      .lz4Hadoop,
      "\(input.count) bytes decode to \(output.count) bytes neither as Hadoop-framed LZ4, a raw LZ4 block, "
        + "nor an LZ4 frame")
  }

  /// Returns the decoded length, or nil when `input` is not a well-formed sequence of Hadoop blocks.
  private static func decodeHadoop(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  )
    throws(CodecError) -> Int?
  {
    var inputOffset = 0
    var outputOffset = 0
    while input.count - inputOffset >= headerSize {
      let expected = Int(readBigEndianUInt32(input, at: inputOffset))
      let compressed = Int(readBigEndianUInt32(input, at: inputOffset + 4))
      inputOffset += headerSize
      guard compressed <= input.count - inputOffset, expected <= output.count - outputOffset else {
        return nil
      }
      let block = UnsafeRawBufferPointer(rebasing: input[inputOffset..<(inputOffset + compressed)])
      let target = UnsafeMutableRawBufferPointer(rebasing: output[outputOffset..<(outputOffset + expected)])
      let written = try Lz4Raw.decodeBlock(block, into: target, codec: .lz4Hadoop)
      guard written == expected else { return nil }
      inputOffset += compressed
      outputOffset += expected
    }
    return inputOffset == input.count ? outputOffset : nil
  }

  private static func readBigEndianUInt32(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
    var value: UInt32 = 0
    for index in offset..<(offset + 4) { value = value << 8 | UInt32(buffer[index]) }
    return value
  }

  static func compress(_ input: UnsafeRawBufferPointer) throws(CodecError) -> [UInt8] {
    let inputCount: Int32 = try cSize(input.count, .lz4Hadoop, "LZ4 input")
    let bound = Int(LZ4_compressBound(inputCount))
    guard bound > 0 else {
      throw CodecError(.lz4Hadoop, "input of \(input.count) bytes is too large for LZ4")
    }
    return try Codecs.makeOutput(capacity: headerSize + bound) { (output) throws(CodecError) -> Int in
      let body = UnsafeMutableRawBufferPointer(rebasing: output[headerSize...])
      let written = try Lz4Raw.compressBlock(input, into: body, codec: .lz4Hadoop)
      writeBigEndianUInt32(UInt32(inputCount), into: output, at: 0)
      writeBigEndianUInt32(UInt32(written), into: output, at: 4)
      return headerSize + written
    }
  }

  private static func writeBigEndianUInt32(
    _ value: UInt32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int
  ) {
    for index in 0..<4 { buffer[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index)) }
  }
}
