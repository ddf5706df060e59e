// `ThriftEncodable` for the parquet.thrift metadata model (footer and page headers), field ids as in
// parquet.thrift and as `Metadata/*` decodes them. Optional fields are written only when set. Encrypted columns
// and the encryption algorithm are never written (this writer does not encrypt).

extension FileMetaData: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: version)
    w.field(2, structs: schema)
    w.field(3, i64: numRows)
    w.field(4, structs: rowGroups)
    if let keyValueMetadata { w.field(5, structs: keyValueMetadata) }
    if let createdBy { w.field(6, string: createdBy) }
    if let columnOrders { w.field(7, structs: columnOrders) }
  }
}

extension ColumnOrder: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    switch self {
    case .typeDefinedOrder: w.field(1, emptyStruct: ())
    case .unknownMember(let id): w.field(id, emptyStruct: ())
    }
  }
}

extension SortingColumn: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: columnIdx)
    w.field(2, bool: descending)
    w.field(3, bool: nullsFirst)
  }
}

extension RowGroup: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, structs: columns)
    w.field(2, i64: totalByteSize)
    w.field(3, i64: numRows)
    if let sortingColumns { w.field(4, structs: sortingColumns) }
    if let fileOffset { w.field(5, i64: fileOffset) }
    if let totalCompressedSize { w.field(6, i64: totalCompressedSize) }
    if let ordinal { w.field(7, i16: ordinal) }
  }
}

extension ColumnChunk: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    if let filePath { w.field(1, string: filePath) }
    w.field(2, i64: fileOffset)
    if let metaData { w.field(3, struct: metaData) }
    if let offsetIndexOffset { w.field(4, i64: offsetIndexOffset) }
    if let offsetIndexLength { w.field(5, i32: offsetIndexLength) }
    if let columnIndexOffset { w.field(6, i64: columnIndexOffset) }
    if let columnIndexLength { w.field(7, i32: columnIndexLength) }
  }
}

extension ColumnMetaData: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: type.rawValue)
    w.field(2, i32s: encodings.map(\.rawValue))
    w.field(3, strings: pathInSchema)
    w.field(4, i32: codec.rawValue)
    w.field(5, i64: numValues)
    w.field(6, i64: totalUncompressedSize)
    w.field(7, i64: totalCompressedSize)
    if let keyValueMetadata { w.field(8, structs: keyValueMetadata) }
    w.field(9, i64: dataPageOffset)
    if let indexPageOffset { w.field(10, i64: indexPageOffset) }
    if let dictionaryPageOffset { w.field(11, i64: dictionaryPageOffset) }
    if let statistics { w.field(12, struct: statistics) }
    if let encodingStats { w.field(13, structs: encodingStats) }
    if let bloomFilterOffset { w.field(14, i64: bloomFilterOffset) }
    if let bloomFilterLength { w.field(15, i32: bloomFilterLength) }
  }
}

extension PageEncodingStats: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: pageType.rawValue)
    w.field(2, i32: encoding.rawValue)
    w.field(3, i32: count)
  }
}

extension Statistics: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    if let max { w.field(1, binary: max) }
    if let min { w.field(2, binary: min) }
    if let nullCount { w.field(3, i64: nullCount) }
    if let distinctCount { w.field(4, i64: distinctCount) }
    if let maxValue { w.field(5, binary: maxValue) }
    if let minValue { w.field(6, binary: minValue) }
    if let isMaxValueExact { w.field(7, bool: isMaxValueExact) }
    if let isMinValueExact { w.field(8, bool: isMinValueExact) }
  }
}

extension KeyValue: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, string: key)
    if let value { w.field(2, string: value) }
  }
}

extension SchemaElement: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    if let type { w.field(1, i32: type.rawValue) }
    if let typeLength { w.field(2, i32: typeLength) }
    if let repetitionType { w.field(3, i32: repetitionType.rawValue) }
    w.field(4, string: name)
    if let numChildren { w.field(5, i32: numChildren) }
    if let convertedType { w.field(6, i32: convertedType.rawValue) }
    if let scale { w.field(7, i32: scale) }
    if let precision { w.field(8, i32: precision) }
    if let fieldId { w.field(9, i32: fieldId) }
    if let logicalType { w.field(10, struct: logicalType) }
  }
}

extension TimeUnit: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    switch self {
    case .millis: w.field(1, emptyStruct: ())
    case .micros: w.field(2, emptyStruct: ())
    case .nanos: w.field(3, emptyStruct: ())
    }
  }
}

/// The members of parquet.thrift's `DecimalType`, `TimeType`/`TimestampType` and `IntType`.
private struct DecimalTypeFields: ThriftEncodable {
  let scale: Int32
  let precision: Int32
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: scale)
    w.field(2, i32: precision)
  }
}

private struct TimeTypeFields: ThriftEncodable {
  let isAdjustedToUTC: Bool
  let unit: TimeUnit
  func encode(to w: inout CompactWriter) {
    w.field(1, bool: isAdjustedToUTC)
    w.field(2, struct: unit)
  }
}

private struct IntTypeFields: ThriftEncodable {
  let bitWidth: Int8
  let isSigned: Bool
  func encode(to w: inout CompactWriter) {
    w.field(1, i8: bitWidth)
    w.field(2, bool: isSigned)
  }
}

extension LogicalType: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    switch self {
    case .string: w.field(1, emptyStruct: ())
    case .map: w.field(2, emptyStruct: ())
    case .list: w.field(3, emptyStruct: ())
    case .enum: w.field(4, emptyStruct: ())
    case .decimal(let scale, let precision):
      w.field(5, struct: DecimalTypeFields(scale: scale, precision: precision))
    case .date: w.field(6, emptyStruct: ())
    case .time(let utc, let unit): w.field(7, struct: TimeTypeFields(isAdjustedToUTC: utc, unit: unit))
    case .timestamp(let utc, let unit): w.field(8, struct: TimeTypeFields(isAdjustedToUTC: utc, unit: unit))
    case .integer(let bitWidth, let signed):
      w.field(10, struct: IntTypeFields(bitWidth: bitWidth, isSigned: signed))
    case .unknown: w.field(11, emptyStruct: ())
    case .json: w.field(12, emptyStruct: ())
    case .bson: w.field(13, emptyStruct: ())
    case .uuid: w.field(14, emptyStruct: ())
    case .float16: w.field(15, emptyStruct: ())
    case .variant: w.field(16, emptyStruct: ())
    case .geometry: w.field(17, emptyStruct: ())
    case .geography: w.field(18, emptyStruct: ())
    case .unknownMember(let id): w.field(id, emptyStruct: ())
    }
  }
}

extension PageHeader: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: type.rawValue)
    w.field(2, i32: uncompressedPageSize)
    w.field(3, i32: compressedPageSize)
    if let crc { w.field(4, i32: crc) }
    if let dataPageHeader { w.field(5, struct: dataPageHeader) }
    if let dictionaryPageHeader { w.field(7, struct: dictionaryPageHeader) }
    if let dataPageHeaderV2 { w.field(8, struct: dataPageHeaderV2) }
  }
}

extension DataPageHeader: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: numValues)
    w.field(2, i32: encoding.rawValue)
    w.field(3, i32: definitionLevelEncoding.rawValue)
    w.field(4, i32: repetitionLevelEncoding.rawValue)
    if let statistics { w.field(5, struct: statistics) }
  }
}

extension DataPageHeaderV2: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: numValues)
    w.field(2, i32: numNulls)
    w.field(3, i32: numRows)
    w.field(4, i32: encoding.rawValue)
    w.field(5, i32: definitionLevelsByteLength)
    w.field(6, i32: repetitionLevelsByteLength)
    w.field(7, bool: isCompressed)
    if let statistics { w.field(8, struct: statistics) }
  }
}

extension DictionaryPageHeader: ThriftEncodable {
  func encode(to w: inout CompactWriter) {
    w.field(1, i32: numValues)
    w.field(2, i32: encoding.rawValue)
    if let isSorted { w.field(3, bool: isSorted) }
  }
}
