// parquet.thrift `PageHeader` and the per-kind headers (`DataPageHeader`, `DataPageHeaderV2`,
// `DictionaryPageHeader`), and their decoders. Index pages' header is skipped (it has no fields in use).

/// parquet.thrift `DataPageHeader` (data page v1).
public struct DataPageHeader: Sendable, Equatable {
  public var numValues: Int32
  public var encoding: Encoding
  public var definitionLevelEncoding: Encoding
  public var repetitionLevelEncoding: Encoding
  public var statistics: Statistics?

  public init(
    numValues: Int32, encoding: Encoding, definitionLevelEncoding: Encoding,
    repetitionLevelEncoding: Encoding,
    statistics: Statistics? = nil
  ) {
    self.numValues = numValues
    self.encoding = encoding
    self.definitionLevelEncoding = definitionLevelEncoding
    self.repetitionLevelEncoding = repetitionLevelEncoding
    self.statistics = statistics
  }
}

/// parquet.thrift `DataPageHeaderV2`: levels are stored uncompressed before the (maybe compressed) values.
public struct DataPageHeaderV2: Sendable, Equatable {
  public var numValues: Int32
  public var numNulls: Int32
  public var numRows: Int32
  public var encoding: Encoding
  public var definitionLevelsByteLength: Int32
  public var repetitionLevelsByteLength: Int32
  public var isCompressed: Bool
  public var statistics: Statistics?

  public init(
    numValues: Int32, numNulls: Int32, numRows: Int32, encoding: Encoding, definitionLevelsByteLength: Int32,
    repetitionLevelsByteLength: Int32, isCompressed: Bool = true, statistics: Statistics? = nil
  ) {
    self.numValues = numValues
    self.numNulls = numNulls
    self.numRows = numRows
    self.encoding = encoding
    self.definitionLevelsByteLength = definitionLevelsByteLength
    self.repetitionLevelsByteLength = repetitionLevelsByteLength
    self.isCompressed = isCompressed
    self.statistics = statistics
  }
}

/// parquet.thrift `DictionaryPageHeader`.
public struct DictionaryPageHeader: Sendable, Equatable {
  public var numValues: Int32
  public var encoding: Encoding
  public var isSorted: Bool?

  public init(numValues: Int32, encoding: Encoding, isSorted: Bool? = nil) {
    self.numValues = numValues
    self.encoding = encoding
    self.isSorted = isSorted
  }
}

/// parquet.thrift `PageHeader`.
public struct PageHeader: Sendable, Equatable {
  public var type: PageType
  public var uncompressedPageSize: Int32
  public var compressedPageSize: Int32
  public var crc: Int32?
  public var dataPageHeader: DataPageHeader?
  public var dictionaryPageHeader: DictionaryPageHeader?
  public var dataPageHeaderV2: DataPageHeaderV2?

  public init(
    type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32, crc: Int32? = nil,
    dataPageHeader: DataPageHeader? = nil, dictionaryPageHeader: DictionaryPageHeader? = nil,
    dataPageHeaderV2: DataPageHeaderV2? = nil
  ) {
    self.type = type
    self.uncompressedPageSize = uncompressedPageSize
    self.compressedPageSize = compressedPageSize
    self.crc = crc
    self.dataPageHeader = dataPageHeader
    self.dictionaryPageHeader = dictionaryPageHeader
    self.dataPageHeaderV2 = dataPageHeaderV2
  }
}

extension DataPageHeader {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var h = DataPageHeader(
      numValues: 0, encoding: .plain, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle)
    var seen = Set<Int16>()
    try r.readStruct { (r, field) throws(ParquetError) in
      seen.insert(field.id)
      switch field.id {
      case 1: h.numValues = try r.i32(field)
      case 2: h.encoding = try r.enumeration(field, Encoding.self)
      case 3: h.definitionLevelEncoding = try r.enumeration(field, Encoding.self)
      case 4: h.repetitionLevelEncoding = try r.enumeration(field, Encoding.self)
      case 5: h.statistics = try Statistics.read(&r, field)
      default: try r.skip(field.type)
      }
    }
    for required: Int16 in [1, 2] where !seen.contains(required) {
      throw r.error("DataPageHeader without required field \(required)")
    }
    self = h
  }
}

extension DataPageHeaderV2 {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var h = DataPageHeaderV2(
      numValues: 0, numNulls: 0, numRows: 0, encoding: .plain, definitionLevelsByteLength: 0,
      repetitionLevelsByteLength: 0)
    var seen = Set<Int16>()
    try r.readStruct { (r, field) throws(ParquetError) in
      seen.insert(field.id)
      switch field.id {
      case 1: h.numValues = try r.i32(field)
      case 2: h.numNulls = try r.i32(field)
      case 3: h.numRows = try r.i32(field)
      case 4: h.encoding = try r.enumeration(field, Encoding.self)
      case 5: h.definitionLevelsByteLength = try r.i32(field)
      case 6: h.repetitionLevelsByteLength = try r.i32(field)
      case 7: h.isCompressed = try r.bool(field)
      case 8: h.statistics = try Statistics.read(&r, field)
      default: try r.skip(field.type)
      }
    }
    for required: Int16 in [1, 2, 3, 4, 5, 6] where !seen.contains(required) {
      throw r.error("DataPageHeaderV2 without required field \(required)")
    }
    self = h
  }
}

extension DictionaryPageHeader {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var h = DictionaryPageHeader(numValues: 0, encoding: .plain)
    var sawCount = false
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1:
        h.numValues = try r.i32(field)
        sawCount = true
      case 2: h.encoding = try r.enumeration(field, Encoding.self)
      case 3: h.isSorted = try r.bool(field)
      default: try r.skip(field.type)
      }
    }
    guard sawCount else { throw r.error("DictionaryPageHeader without num_values") }
    self = h
  }
}

extension PageHeader {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var h = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0)
    var seen = Set<Int16>()
    try r.readStruct { (r, field) throws(ParquetError) in
      seen.insert(field.id)
      switch field.id {
      case 1: h.type = try r.enumeration(field, PageType.self)
      case 2: h.uncompressedPageSize = try r.i32(field)
      case 3: h.compressedPageSize = try r.i32(field)
      case 4: h.crc = try r.i32(field)
      case 5:
        try r.expect(field, .structure)
        h.dataPageHeader = try DataPageHeader(reading: &r)
      case 7:
        try r.expect(field, .structure)
        h.dictionaryPageHeader = try DictionaryPageHeader(reading: &r)
      case 8:
        try r.expect(field, .structure)
        h.dataPageHeaderV2 = try DataPageHeaderV2(reading: &r)
      default: try r.skip(field.type)
      }
    }
    for required: Int16 in [1, 2, 3] where !seen.contains(required) {
      throw r.error("PageHeader without required field \(required)")
    }
    guard h.uncompressedPageSize >= 0, h.compressedPageSize >= 0 else {
      throw r.error("negative page size (\(h.uncompressedPageSize), \(h.compressedPageSize))")
    }
    self = h
  }

  /// Decodes a page header from the front of `bytes`; returns it and the number of bytes it took.
  public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> (PageHeader, Int) {
    var reader = CompactReader(bytes)
    let header = try PageHeader(reading: &reader)
    return (header, reader.position)
  }
}
