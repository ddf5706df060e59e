// Maps Parquet's codec enum onto module Codecs and decompresses a page body into a buffer of exactly the
// page's declared uncompressed size. Refuses LZO (no maintained implementation) with `.unsupported`.
import Codecs

enum PageDecompressor {
  /// Decompresses `input` into `output` (whose size is the declared uncompressed size).
  static func decompress(
    _ codec: CompressionCodec, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) throws(ParquetError) {
    let written: Int
    do {
      switch codec {
      case .uncompressed: written = try Codecs.decompress(.uncompressed, input: input, into: output)
      case .snappy: written = try Codecs.decompress(.snappy, input: input, into: output)
      case .gzip: written = try Codecs.decompress(.gzip, input: input, into: output)
      case .brotli: written = try Codecs.decompress(.brotli, input: input, into: output)
      case .lz4: written = try Codecs.decompress(.lz4Hadoop, input: input, into: output)
      case .zstd: written = try Codecs.decompress(.zstd, input: input, into: output)
      case .lz4Raw: written = try Codecs.decompress(.lz4Raw, input: input, into: output)
      case .lzo: throw ParquetError(.unsupported, "unsupported codec LZO")
      }
    } catch let error as ParquetError {
      throw error
    } catch {
      throw ParquetError(.decompression, "\(error)")
    }
    guard written == output.count else {
      throw ParquetError(
        .decompression, "\(codec) produced \(written) bytes, the page declares \(output.count)")
    }
  }
}
