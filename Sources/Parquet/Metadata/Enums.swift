// The enums of parquet.thrift, with their wire values. `Type` is spelled `PhysicalType` (Swift reserves `.Type`).
// Values this reader does not know make the metadata decoder throw (physical types, repetitions, page types,
// codecs) or are dropped (encodings in a column's list, converted types), as noted per enum.

/// parquet.thrift `Type`: the physical storage type of a leaf column.
public enum PhysicalType: Int32, Sendable, CaseIterable {
  case boolean = 0
  case int32 = 1
  case int64 = 2
  case int96 = 3
  case float = 4
  case double = 5
  case byteArray = 6
  case fixedLenByteArray = 7
}

/// parquet.thrift `ConvertedType` (legacy logical annotations). Unknown values read as nil.
public enum ConvertedType: Int32, Sendable, CaseIterable {
  case utf8 = 0
  case map = 1
  case mapKeyValue = 2
  case list = 3
  case `enum` = 4
  case decimal = 5
  case date = 6
  case timeMillis = 7
  case timeMicros = 8
  case timestampMillis = 9
  case timestampMicros = 10
  case uint8 = 11
  case uint16 = 12
  case uint32 = 13
  case uint64 = 14
  case int8 = 15
  case int16 = 16
  case int32 = 17
  case int64 = 18
  case json = 19
  case bson = 20
  case interval = 21
}

/// parquet.thrift `FieldRepetitionType`.
public enum FieldRepetitionType: Int32, Sendable, CaseIterable {
  case required = 0
  case optional = 1
  case repeated = 2
}

/// parquet.thrift `Encoding`. Unknown values in a column's encoding list are dropped; on a page they are an error.
public enum Encoding: Int32, Sendable, CaseIterable {
  case plain = 0
  case groupVarInt = 1
  case plainDictionary = 2
  case rle = 3
  case bitPacked = 4
  case deltaBinaryPacked = 5
  case deltaLengthByteArray = 6
  case deltaByteArray = 7
  case rleDictionary = 8
  case byteStreamSplit = 9
}

/// parquet.thrift `CompressionCodec`.
public enum CompressionCodec: Int32, Sendable, CaseIterable {
  case uncompressed = 0
  case snappy = 1
  case gzip = 2
  case lzo = 3
  case brotli = 4
  case lz4 = 5
  case zstd = 6
  case lz4Raw = 7
}

/// parquet.thrift `PageType`.
public enum PageType: Int32, Sendable, CaseIterable {
  case dataPage = 0
  case indexPage = 1
  case dictionaryPage = 2
  case dataPageV2 = 3
}

/// parquet.thrift `BoundaryOrder` (column indexes).
public enum BoundaryOrder: Int32, Sendable, CaseIterable {
  case unordered = 0
  case ascending = 1
  case descending = 2
}
