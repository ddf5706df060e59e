// The spelling parquet.thrift uses for each enum value (INT64, RLE_DICTIONARY, ZSTD...), for messages and tools.

extension PhysicalType: CustomStringConvertible {
  public var description: String {
    switch self {
    case .boolean: return "BOOLEAN"
    case .int32: return "INT32"
    case .int64: return "INT64"
    case .int96: return "INT96"
    case .float: return "FLOAT"
    case .double: return "DOUBLE"
    case .byteArray: return "BYTE_ARRAY"
    case .fixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY"
    }
  }
}

extension Encoding: CustomStringConvertible {
  public var description: String {
    switch self {
    case .plain: return "PLAIN"
    case .groupVarInt: return "GROUP_VAR_INT"
    case .plainDictionary: return "PLAIN_DICTIONARY"
    case .rle: return "RLE"
    case .bitPacked: return "BIT_PACKED"
    case .deltaBinaryPacked: return "DELTA_BINARY_PACKED"
    case .deltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY"
    case .deltaByteArray: return "DELTA_BYTE_ARRAY"
    case .rleDictionary: return "RLE_DICTIONARY"
    case .byteStreamSplit: return "BYTE_STREAM_SPLIT"
    }
  }
}

extension CompressionCodec: CustomStringConvertible {
  public var description: String {
    switch self {
    case .uncompressed: return "UNCOMPRESSED"
    case .snappy: return "SNAPPY"
    case .gzip: return "GZIP"
    case .lzo: return "LZO"
    case .brotli: return "BROTLI"
    case .lz4: return "LZ4"
    case .zstd: return "ZSTD"
    case .lz4Raw: return "LZ4_RAW"
    }
  }
}

extension FieldRepetitionType: CustomStringConvertible {
  public var description: String {
    switch self {
    case .required: return "REQUIRED"
    case .optional: return "OPTIONAL"
    case .repeated: return "REPEATED"
    }
  }
}

extension ConvertedType: CustomStringConvertible {
  public var description: String {
    switch self {
    case .utf8: return "UTF8"
    case .map: return "MAP"
    case .mapKeyValue: return "MAP_KEY_VALUE"
    case .list: return "LIST"
    case .enum: return "ENUM"
    case .decimal: return "DECIMAL"
    case .date: return "DATE"
    case .timeMillis: return "TIME_MILLIS"
    case .timeMicros: return "TIME_MICROS"
    case .timestampMillis: return "TIMESTAMP_MILLIS"
    case .timestampMicros: return "TIMESTAMP_MICROS"
    case .uint8: return "UINT_8"
    case .uint16: return "UINT_16"
    case .uint32: return "UINT_32"
    case .uint64: return "UINT_64"
    case .int8: return "INT_8"
    case .int16: return "INT_16"
    case .int32: return "INT_32"
    case .int64: return "INT_64"
    case .json: return "JSON"
    case .bson: return "BSON"
    case .interval: return "INTERVAL"
    }
  }
}

extension LogicalType: CustomStringConvertible {
  public var description: String {
    switch self {
    case .string: return "STRING"
    case .map: return "MAP"
    case .list: return "LIST"
    case .enum: return "ENUM"
    case .decimal(let scale, let precision): return "DECIMAL(\(precision),\(scale))"
    case .date: return "DATE"
    case .time(let utc, let unit): return "TIME(\(unit)\(utc ? ", UTC" : ""))"
    case .timestamp(let utc, let unit): return "TIMESTAMP(\(unit)\(utc ? ", UTC" : ""))"
    case .integer(let bits, let signed): return "\(signed ? "INT" : "UINT")(\(bits))"
    case .unknown: return "UNKNOWN"
    case .json: return "JSON"
    case .bson: return "BSON"
    case .uuid: return "UUID"
    case .float16: return "FLOAT16"
    case .variant: return "VARIANT"
    case .geometry: return "GEOMETRY"
    case .geography: return "GEOGRAPHY"
    case .unknownMember(let id): return "UNKNOWN_LOGICAL_TYPE(\(id))"
    }
  }
}
