// Compression codecs used by Parquet pages (and later by our own formats), over the system libraries.
// API contract (stable): the Parquet reader calls `decompress(_:input:into:)` with an output buffer of exactly the
// page's declared uncompressed size; the writer calls `compress(_:input:level:)`.
// This file only dispatches; each codec lives in its own file. Nothing here reads past `input` or writes past
// `output`, and garbage input throws `CodecError`, never traps.
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
    if input.isEmpty {
      // Some writers store an empty page as zero bytes whatever the codec.
      guard output.isEmpty else {
        throw CodecError(codec, "empty input, expected \(output.count) uncompressed bytes")
      }
      return 0
    }
    // C libraries want non-null pointers even for empty buffers.
    return try withNonNullBase(output) { (output) throws(CodecError) -> Int in
      let written = try decompressChecked(codec, input: input, into: output)
      guard written == output.count else {
        throw CodecError(codec, "expected \(output.count) uncompressed bytes, produced \(written)")
      }
      return written
    }
  }

  private static func decompressChecked(
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
    case .snappy: return try Snappy.decompress(input, into: output)
    case .gzip: return try Gzip.decompress(input, into: output)
    case .brotli: return try Brotli.decompress(input, into: output)
    case .zstd: return try Zstd.decompress(input, into: output)
    case .lz4Raw: return try Lz4Raw.decompress(input, into: output, codec: .lz4Raw)
    case .lz4Hadoop: return try Lz4Hadoop.decompress(input, into: output)
    }
  }

  /// Convenience over `decompress(_:input:into:)` that allocates the output.
  public static func decompress(_ codec: CompressionCodec, _ input: [UInt8], uncompressedSize: Int) throws
    -> [UInt8]
  {
    guard uncompressedSize >= 0 else {
      throw CodecError(codec, "negative uncompressed size \(uncompressedSize)")
    }
    var output = [UInt8](repeating: 0, count: uncompressedSize)
    let written = try input.withUnsafeBytes { src in
      try output.withUnsafeMutableBytes { dst in try decompress(codec, input: src, into: dst) }
    }
    guard written == uncompressedSize else {
      throw CodecError(codec, "expected \(uncompressedSize) bytes, produced \(written)")
    }
    return output
  }

  /// Compresses `input`; `level` is the codec's own level (nil: its default; LZ4 and Snappy have none and
  /// ignore it).
  public static func compress(_ codec: CompressionCodec, input: UnsafeRawBufferPointer, level: Int? = nil)
    throws(CodecError) -> [UInt8]
  {
    try withNonNullBase(input) { (input) throws(CodecError) -> [UInt8] in
      switch codec {
      case .uncompressed: return Array(input)
      case .snappy: return try Snappy.compress(input)
      case .gzip: return try Gzip.compress(input, level: level)
      case .brotli: return try Brotli.compress(input, level: level)
      case .zstd: return try Zstd.compress(input, level: level)
      case .lz4Raw: return try Lz4Raw.compress(input, codec: .lz4Raw)
      case .lz4Hadoop: return try Lz4Hadoop.compress(input)
      }
    }
  }

  /// Convenience over `compress(_:input:level:)` for arrays.
  public static func compress(_ codec: CompressionCodec, _ input: [UInt8], level: Int? = nil)
    throws(CodecError)
    -> [UInt8]
  {
    let result = input.withUnsafeBytes { src in
      Result { () throws(CodecError) in try compress(codec, input: src, level: level) }
    }
    return try result.get()
  }
}
