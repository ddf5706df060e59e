// Compression codecs used by Parquet pages (and later by our own formats), over the system libraries.
// API contract (stable): the Parquet reader calls `decompress(_:input:into:)` with an output buffer of exactly the
// page's declared uncompressed size; the writer calls `compress(_:input:level:)`.
import CCompression

/// The codecs Parquet names (LZO is refused by the reader before it gets here).
public enum CompressionCodec: String, Sendable, CaseIterable {
  case uncompressed
  case snappy
  case gzip
  case brotli
  /// Parquet's deprecated LZ4: Hadoop's framing, with raw LZ4 blocks as a fallback (both exist in the wild).
  case lz4Hadoop
  case zstd
  /// Parquet's LZ4_RAW: one raw LZ4 block.
  case lz4Raw
}

public struct CodecError: Error, CustomStringConvertible, Equatable {
  public let codec: CompressionCodec
  public let message: String
  public init(_ codec: CompressionCodec, _ message: String) {
    self.codec = codec
    self.message = message
  }
  public var description: String { "\(codec) decompression failed: \(message)" }
}

public enum Codecs {
  /// Decompresses `input` into `output`, which must have exactly the expected uncompressed size.
  /// Returns the number of bytes written; throws if the data is corrupt or its size differs from `output.count`.
  public static func decompress(
    _ codec: CompressionCodec, input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) throws(CodecError) -> Int {
    switch codec {
    case .uncompressed:
      guard input.count == output.count else {
        throw CodecError(codec, "expected \(output.count) bytes, found \(input.count)")
      }
      if let base = input.baseAddress, let out = output.baseAddress {
        out.copyMemory(from: base, byteCount: input.count)
      }
      return input.count
    default:
      throw CodecError(codec, "not implemented yet")
    }
  }

  /// Convenience over `decompress(_:input:into:)` that allocates the output.
  public static func decompress(_ codec: CompressionCodec, _ input: [UInt8], uncompressedSize: Int) throws
    -> [UInt8]
  {
    var output = [UInt8](repeating: 0, count: uncompressedSize)
    let written = try input.withUnsafeBytes { src in
      try output.withUnsafeMutableBytes { dst in try decompress(codec, input: src, into: dst) }
    }
    guard written == uncompressedSize else {
      throw CodecError(codec, "expected \(uncompressedSize) bytes, produced \(written)")
    }
    return output
  }

  /// Compresses `input`; `level` is the codec's own level (nil: its default).
  public static func compress(_ codec: CompressionCodec, input: UnsafeRawBufferPointer, level: Int? = nil)
    throws(CodecError) -> [UInt8]
  {
    switch codec {
    case .uncompressed: return Array(input)
    default: throw CodecError(codec, "not implemented yet")
    }
  }
}
