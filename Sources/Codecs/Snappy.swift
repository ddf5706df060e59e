// SNAPPY over libsnappy's C API (raw snappy blocks as Parquet stores them; not the framed format).
// Refuses data whose declared length differs from the expected size before decompressing anything.
import CCompression

enum Snappy {
  static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(CodecError) -> Int
  {
    let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
    var declared = 0
    guard snappy_uncompressed_length(source, input.count, &declared) == SNAPPY_OK else {
      throw CodecError(.snappy, "corrupt header: no valid uncompressed length in \(input.count) bytes")
    }
    guard declared == output.count else {
      throw CodecError(.snappy, "data declares \(declared) uncompressed bytes, expected \(output.count)")
    }
    var written = output.count
    let destination = output.baseAddress?.assumingMemoryBound(to: CChar.self)
    let status = snappy_uncompress(source, input.count, destination, &written)
    guard status == SNAPPY_OK else {
      throw CodecError(.snappy, "corrupt data (\(describe(status))) in \(input.count) compressed bytes")
    }
    return written
  }

  static func compress(_ input: UnsafeRawBufferPointer) throws(CodecError) -> [UInt8] {
    let bound = snappy_max_compressed_length(input.count)
    return try Codecs.makeOutput(capacity: bound) { (output) throws(CodecError) -> Int in
      var written = output.count
      let status = snappy_compress(
        input.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
        output.baseAddress?.assumingMemoryBound(to: CChar.self), &written)
      guard status == SNAPPY_OK else { throw CodecError(.snappy, "compression failed (\(describe(status)))") }
      return written
    }
  }

  private static func describe(_ status: snappy_status) -> String {
    switch status {
    case SNAPPY_OK: "ok"
    case SNAPPY_INVALID_INPUT: "invalid input"
    case SNAPPY_BUFFER_TOO_SMALL: "output buffer too small"
    default: "status \(status.rawValue)"
    }
  }
}
