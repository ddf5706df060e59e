// Maps Parquet's codec enum onto module Codecs for the writer (LZ4 is written with Hadoop framing, which every
// reader accepts; LZO is refused by the options before it gets here).
import Codecs

enum PageCompression {
  static func compress(_ bytes: [UInt8], codec: CompressionCodec, level: Int?) throws(ParquetError) -> [UInt8]
  {
    let result = bytes.withUnsafeBytes { input in
      Result { () throws(CodecError) -> [UInt8] in
        switch codec {
        case .uncompressed: return Array(input)
        case .snappy: return try Codecs.compress(.snappy, input: input, level: level)
        case .gzip: return try Codecs.compress(.gzip, input: input, level: level)
        case .brotli: return try Codecs.compress(.brotli, input: input, level: level)
        case .lz4: return try Codecs.compress(.lz4Hadoop, input: input, level: level)
        case .zstd: return try Codecs.compress(.zstd, input: input, level: level)
        case .lz4Raw: return try Codecs.compress(.lz4Raw, input: input, level: level)
        case .lzo: throw CodecError(.uncompressed, "LZO is not supported")
        }
      }
    }
    switch result {
    case .success(let compressed): return compressed
    case .failure(let error): throw ParquetError(.decompression, "compressing a page: \(error.message)")
    }
  }
}
