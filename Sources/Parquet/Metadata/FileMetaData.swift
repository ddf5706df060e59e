// parquet.thrift `FileMetaData`, `RowGroup`, `SortingColumn` and `ColumnOrder`, and their decoders.
// `decode(_:)` is the entry point for a footer's bytes.

/// parquet.thrift `SortingColumn`.
public struct SortingColumn: Sendable, Equatable {
  public var columnIdx: Int32
  public var descending: Bool
  public var nullsFirst: Bool

  public init(columnIdx: Int32, descending: Bool, nullsFirst: Bool) {
    self.columnIdx = columnIdx
    self.descending = descending
    self.nullsFirst = nullsFirst
  }
}

/// parquet.thrift `ColumnOrder` (a union whose only member today is `TypeDefinedOrder`).
public enum ColumnOrder: Sendable, Equatable {
  case typeDefinedOrder
  case unknownMember(Int16)
}

/// parquet.thrift `RowGroup`.
public struct RowGroup: Sendable, Equatable {
  public var columns: [ColumnChunk]
  public var totalByteSize: Int64
  public var numRows: Int64
  public var sortingColumns: [SortingColumn]?
  public var fileOffset: Int64?
  public var totalCompressedSize: Int64?
  public var ordinal: Int16?

  public init(
    columns: [ColumnChunk], totalByteSize: Int64, numRows: Int64, sortingColumns: [SortingColumn]? = nil,
    fileOffset: Int64? = nil, totalCompressedSize: Int64? = nil, ordinal: Int16? = nil
  ) {
    self.columns = columns
    self.totalByteSize = totalByteSize
    self.numRows = numRows
    self.sortingColumns = sortingColumns
    self.fileOffset = fileOffset
    self.totalCompressedSize = totalCompressedSize
    self.ordinal = ordinal
  }
}

/// parquet.thrift `FileMetaData`: the footer.
public struct FileMetaData: Sendable, Equatable {
  public var version: Int32
  public var schema: [SchemaElement]
  public var numRows: Int64
  public var rowGroups: [RowGroup]
  public var keyValueMetadata: [KeyValue]?
  public var createdBy: String?
  public var columnOrders: [ColumnOrder]?
  /// True when the footer names an `encryption_algorithm` (plaintext footer, encrypted columns).
  public var hasEncryptionAlgorithm: Bool

  public init(
    version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
    keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil,
    hasEncryptionAlgorithm: Bool = false
  ) {
    self.version = version
    self.schema = schema
    self.numRows = numRows
    self.rowGroups = rowGroups
    self.keyValueMetadata = keyValueMetadata
    self.createdBy = createdBy
    self.columnOrders = columnOrders
    self.hasEncryptionAlgorithm = hasEncryptionAlgorithm
  }

  /// Decodes a footer (the Thrift bytes between the data and the trailing length + magic).
  public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ParquetError) -> FileMetaData {
    var reader = CompactReader(bytes)
    return try FileMetaData(reading: &reader)
  }
}

extension SortingColumn {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var column = SortingColumn(columnIdx: 0, descending: false, nullsFirst: false)
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: column.columnIdx = try r.i32(field)
      case 2: column.descending = try r.bool(field)
      case 3: column.nullsFirst = try r.bool(field)
      default: try r.skip(field.type)
      }
    }
    self = column
  }
}

extension ColumnOrder {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var order = ColumnOrder.unknownMember(0)
    try r.readStruct { (r, field) throws(ParquetError) in
      order = field.id == 1 ? .typeDefinedOrder : .unknownMember(field.id)
      try r.skip(field.type)
    }
    self = order
  }
}

extension RowGroup {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var group = RowGroup(columns: [], totalByteSize: 0, numRows: 0)
    var sawRows = false
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1:
        group.columns = try r.structList(field) { (r) throws(ParquetError) in try ColumnChunk(reading: &r) }
      case 2: group.totalByteSize = try r.i64(field)
      case 3:
        group.numRows = try r.i64(field)
        sawRows = true
      case 4:
        group.sortingColumns = try r.structList(field) { (r) throws(ParquetError) in
          try SortingColumn(reading: &r)
        }
      case 5: group.fileOffset = try r.i64(field)
      case 6: group.totalCompressedSize = try r.i64(field)
      case 7: group.ordinal = try r.i16(field)
      default: try r.skip(field.type)
      }
    }
    guard sawRows, group.numRows >= 0 else { throw r.error("RowGroup without a valid num_rows") }
    self = group
  }
}

extension FileMetaData {
  init(reading r: inout CompactReader) throws(ParquetError) {
    var meta = FileMetaData(version: 0, schema: [], numRows: 0, rowGroups: [])
    var seen = Set<Int16>()
    try r.readStruct { (r, field) throws(ParquetError) in
      seen.insert(field.id)
      switch field.id {
      case 1: meta.version = try r.i32(field)
      case 2:
        meta.schema = try r.structList(field) { (r) throws(ParquetError) in try SchemaElement(reading: &r) }
      case 3: meta.numRows = try r.i64(field)
      case 4:
        meta.rowGroups = try r.structList(field) { (r) throws(ParquetError) in try RowGroup(reading: &r) }
      case 5: meta.keyValueMetadata = try KeyValue.readList(&r, field)
      case 6: meta.createdBy = try r.string(field)
      case 7:
        meta.columnOrders = try r.structList(field) { (r) throws(ParquetError) in try ColumnOrder(reading: &r)
        }
      case 8:
        meta.hasEncryptionAlgorithm = true
        try r.skip(field.type)
      default: try r.skip(field.type)
      }
    }
    for required: Int16 in [2, 3, 4] where !seen.contains(required) {
      throw r.error("FileMetaData without required field \(required)")
    }
    guard meta.numRows >= 0 else { throw r.error("negative num_rows \(meta.numRows)") }
    self = meta
  }
}
