// parquet.thrift `ColumnChunk`, `ColumnMetaData` and `PageEncodingStats`, and their decoders.
// Encrypted column metadata (`crypto_metadata`, `encrypted_column_metadata`) is recorded, never decrypted.

/// parquet.thrift `PageEncodingStats`.
public struct PageEncodingStats: Sendable, Equatable {
  public var pageType: PageType
  public var encoding: Encoding
  public var count: Int32

  public init(pageType: PageType, encoding: Encoding, count: Int32) {
    self.pageType = pageType
    self.encoding = encoding
    self.count = count
  }
}

/// parquet.thrift `ColumnMetaData`.
public struct ColumnMetaData: Sendable, Equatable {
  public var type: PhysicalType
  public var encodings: [Encoding]
  public var pathInSchema: [String]
  public var codec: CompressionCodec
  public var numValues: Int64
  public var totalUncompressedSize: Int64
  public var totalCompressedSize: Int64
  public var keyValueMetadata: [KeyValue]?
  public var dataPageOffset: Int64
  public var indexPageOffset: Int64?
  public var dictionaryPageOffset: Int64?
  public var statistics: Statistics?
  public var encodingStats: [PageEncodingStats]?
  public var bloomFilterOffset: Int64?
  public var bloomFilterLength: Int32?

  public init(
    type: PhysicalType, encodings: [Encoding], pathInSchema: [String], codec: CompressionCodec,
    numValues: Int64,
    totalUncompressedSize: Int64, totalCompressedSize: Int64, keyValueMetadata: [KeyValue]? = nil,
    dataPageOffset: Int64, indexPageOffset: Int64? = nil, dictionaryPageOffset: Int64? = nil,
    statistics: Statistics? = nil, encodingStats: [PageEncodingStats]? = nil, bloomFilterOffset: Int64? = nil,
    bloomFilterLength: Int32? = nil
  ) {
    self.type = type
    self.encodings = encodings
    self.pathInSchema = pathInSchema
    self.codec = codec
    self.numValues = numValues
    self.totalUncompressedSize = totalUncompressedSize
    self.totalCompressedSize = totalCompressedSize
    self.keyValueMetadata = keyValueMetadata
    self.dataPageOffset = dataPageOffset
    self.indexPageOffset = indexPageOffset
    self.dictionaryPageOffset = dictionaryPageOffset
    self.statistics = statistics
    self.encodingStats = encodingStats
    self.bloomFilterOffset = bloomFilterOffset
    self.bloomFilterLength = bloomFilterLength
  }
}

/// parquet.thrift `ColumnChunk`.
public struct ColumnChunk: Sendable, Equatable {
  public var filePath: String?
  public var fileOffset: Int64
  public var metaData: ColumnMetaData?
  public var offsetIndexOffset: Int64?
  public var offsetIndexLength: Int32?
  public var columnIndexOffset: Int64?
  public var columnIndexLength: Int32?
  /// True when the chunk carries `crypto_metadata` or `encrypted_column_metadata` (this reader refuses it).
  public var isEncrypted: Bool

  public init(
    fileOffset: Int64, metaData: ColumnMetaData?, filePath: String? = nil, offsetIndexOffset: Int64? = nil,
    offsetIndexLength: Int32? = nil, columnIndexOffset: Int64? = nil, columnIndexLength: Int32? = nil,
    isEncrypted: Bool = false
  ) {
    self.filePath = filePath
    self.fileOffset = fileOffset
    self.metaData = metaData
    self.offsetIndexOffset = offsetIndexOffset
    self.offsetIndexLength = offsetIndexLength
    self.columnIndexOffset = columnIndexOffset
    self.columnIndexLength = columnIndexLength
    self.isEncrypted = isEncrypted
  }
}

extension PageEncodingStats {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var pageType: PageType?
    var encoding: Encoding?
    var count: Int32 = 0
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: pageType = PageType(rawValue: try r.i32(field))
      case 2: encoding = Encoding(rawValue: try r.i32(field))
      case 3: count = try r.i32(field)
      default: try r.skip(field.type)
      }
    }
    // Unknown page types or encodings in these optional stats are not worth refusing the file over.
    self.init(pageType: pageType ?? .dataPage, encoding: encoding ?? .plain, count: count)
  }
}

extension ColumnMetaData {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var m = ColumnMetaData(
      type: .boolean, encodings: [], pathInSchema: [], codec: .uncompressed, numValues: 0,
      totalUncompressedSize: 0, totalCompressedSize: 0, dataPageOffset: 0)
    var seen = Set<Int16>()
    try r.readStruct { (r, field) throws(ParquetError) in
      seen.insert(field.id)
      switch field.id {
      case 1: m.type = try r.enumeration(field, PhysicalType.self)
      case 2: m.encodings = try r.enumList(field, Encoding.self)
      case 3: m.pathInSchema = try r.stringList(field)
      case 4: m.codec = try r.enumeration(field, CompressionCodec.self)
      case 5: m.numValues = try r.i64(field)
      case 6: m.totalUncompressedSize = try r.i64(field)
      case 7: m.totalCompressedSize = try r.i64(field)
      case 8: m.keyValueMetadata = try KeyValue.readList(&r, field)
      case 9: m.dataPageOffset = try r.i64(field)
      case 10: m.indexPageOffset = try r.i64(field)
      case 11: m.dictionaryPageOffset = try r.i64(field)
      case 12: m.statistics = try Statistics.read(&r, field)
      case 13:
        m.encodingStats = try r.structList(field) { (r) throws(ParquetError) in
          try PageEncodingStats(reading: &r)
        }
      // Some writers used ids 14/15 for other things before the bloom filter fields: skip those.
      case 14 where field.type == .i64: m.bloomFilterOffset = try r.i64(field)
      case 15 where field.type == .i32: m.bloomFilterLength = try r.i32(field)
      default: try r.skip(field.type)
      }
    }
    for required: Int16 in [1, 3, 4, 5, 9] where !seen.contains(required) {
      throw r.error("ColumnMetaData without required field \(required)")
    }
    self = m
  }
}

extension ColumnChunk {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var chunk = ColumnChunk(fileOffset: 0, metaData: nil)
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: chunk.filePath = try r.string(field)
      case 2: chunk.fileOffset = try r.i64(field)
      case 3:
        try r.expect(field, .structure)
        chunk.metaData = try ColumnMetaData(reading: &r)
      case 4: chunk.offsetIndexOffset = try r.i64(field)
      case 5: chunk.offsetIndexLength = try r.i32(field)
      case 6: chunk.columnIndexOffset = try r.i64(field)
      case 7: chunk.columnIndexLength = try r.i32(field)
      case 8, 9:
        chunk.isEncrypted = true
        try r.skip(field.type)
      default: try r.skip(field.type)
      }
    }
    self = chunk
  }
}
