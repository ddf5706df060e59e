// Converts the reader's output type (`ColumnData`: dense values + validity bitmap) into the writer's gathered
// form (non-null values + definition levels), so that any column read can be written back. Refuses values
// whose physical type or width differs from the schema column, nulls in a required column, and byte strings
// longer than 4 GiB - 1 (a BYTE_ARRAY length is a u32).

extension WriterColumnChunk {
  init(_ column: ColumnData, element: SchemaElement, file: String) throws(ParquetError) {
    let fail = { (message: String) in
      ParquetError(.invalidArgument, message, file: file, column: element.name)
    }
    let valid = column.validity
    if let valid, valid.count != column.count {
      throw fail("validity has \(valid.count) bits for \(column.count) values")
    }
    let optional = element.repetitionType == .optional
    if !optional && column.nullCount > 0 { throw fail("\(column.nullCount) nulls in a required column") }
    let keep: (Int) -> Bool = { index in valid.map { $0[index] } ?? true }
    self.element = element
    self.definitionLevels = optional ? (0..<column.count).map { keep($0) ? 1 : 0 } : nil
    self.values = try Self.gather(
      column.values, element: element, keep: keep, allValid: valid == nil, fail: fail)
  }

  private static func gather(
    _ values: ColumnValues, element: SchemaElement, keep: (Int) -> Bool, allValid: Bool,
    fail: (String) -> ParquetError
  ) throws(ParquetError) -> EncodableValues {
    func pick<T>(_ array: [T]) -> [T] { allValid ? array : array.indices.filter(keep).map { array[$0] } }
    switch (values, element.type) {
    case (.boolean(let v), .boolean): return .boolean(pick(v))
    case (.int32(let v), .int32): return .int32(pick(v))
    case (.int64(let v), .int64): return .int64(pick(v))
    case (.float(let v), .float): return .float(pick(v))
    case (.double(let v), .double): return .double(pick(v))
    case (.int96(let v), .int96):
      var data: [UInt8] = []
      data.reserveCapacity(v.count * 12)
      for index in v.indices where keep(index) {
        for word in [v[index].word0, v[index].word1, v[index].word2] {
          withUnsafeBytes(of: word.littleEndian) { data.append(contentsOf: $0) }
        }
      }
      return .fixedWidth(width: 12, data: data)
    case (.fixedLenByteArray(let v), .fixedLenByteArray):
      guard v.width == Int(element.typeLength ?? -1) else {
        throw fail("values are \(v.width) bytes wide, the column's type length is \(element.typeLength ?? 0)")
      }
      if allValid { return .fixedWidth(width: v.width, data: v.data) }
      var data: [UInt8] = []
      data.reserveCapacity(v.data.count)
      for index in 0..<v.count where keep(index) { data.append(contentsOf: v[index]) }
      return .fixedWidth(width: v.width, data: data)
    case (.byteArray(let v), .byteArray):
      for index in 0..<v.count where v.offsets[index + 1] - v.offsets[index] > Int(UInt32.max) {
        throw fail("value \(index) is longer than a BYTE_ARRAY can hold")
      }
      if allValid {
        return .byteArray(offsets: v.offsets.map { $0 - v.offsets[0] }, data: Array(v.data[v.offsets[0]...]))
      }
      var offsets = [0]
      var data: [UInt8] = []
      for index in 0..<v.count where keep(index) {
        data.append(contentsOf: v[index])
        offsets.append(data.count)
      }
      return .byteArray(offsets: offsets, data: data)
    default:
      throw fail("values of the wrong physical type for a \(element.type.map { "\($0)" } ?? "group") column")
    }
  }
}

extension SchemaElement {
  /// A flat leaf column, with the legacy converted type (and decimal scale/precision) derived from
  /// `logicalType` so that readers predating logical types still interpret it.
  public static func leaf(
    _ name: String, _ type: PhysicalType, optional: Bool, logicalType: LogicalType? = nil,
    typeLength: Int32? = nil
  ) -> SchemaElement {
    var element = SchemaElement(
      name: name, type: type, typeLength: typeLength, repetitionType: optional ? .optional : .required,
      logicalType: logicalType)
    switch logicalType {
    case .string: element.convertedType = .utf8
    case .enum: element.convertedType = .enum
    case .json: element.convertedType = .json
    case .bson: element.convertedType = .bson
    case .date: element.convertedType = .date
    case .decimal(let scale, let precision):
      element.convertedType = .decimal
      element.scale = scale
      element.precision = precision
    case .time(_, .millis): element.convertedType = .timeMillis
    case .time(_, .micros): element.convertedType = .timeMicros
    case .timestamp(true, .millis): element.convertedType = .timestampMillis
    case .timestamp(true, .micros): element.convertedType = .timestampMicros
    case .integer(let bits, let signed):
      let table: [Int8: (ConvertedType, ConvertedType)] = [
        8: (.int8, .uint8), 16: (.int16, .uint16), 32: (.int32, .uint32), 64: (.int64, .uint64),
      ]
      element.convertedType = table[bits].map { signed ? $0.0 : $0.1 }
    default: break
    }
    return element
  }
}

extension ParquetWriter {
  /// Writes `columns` (one per schema column, in order, of equal length) as row groups of at most
  /// `options.rowGroupRows` rows.
  public func write(_ columns: [ColumnData]) throws(ParquetError) {
    guard columns.count == schema.count else {
      throw ParquetError(
        .invalidArgument, "expected \(schema.count) columns, got \(columns.count)", file: path)
    }
    var chunks: [WriterColumnChunk] = []
    for (column, element) in zip(columns, schema) {
      chunks.append(try WriterColumnChunk(column, element: element, file: path))
    }
    try write(chunks: chunks)
  }

  /// Writes a whole file from columns read elsewhere, taking the schema from their descriptors.
  public static func write(_ columns: [ColumnData], to path: String, options: ParquetWriterOptions = .init())
    throws(ParquetError)
  {
    let writer = try ParquetWriter(path: path, schema: columns.map(\.descriptor.element), options: options)
    try writer.write(columns)
    try writer.close()
  }

  /// Splits gathered chunks into row groups and writes them.
  func write(chunks: [WriterColumnChunk]) throws(ParquetError) {
    let rows = chunks.first?.rowCount ?? 0
    for chunk in chunks where chunk.rowCount != rows {
      throw ParquetError(
        .invalidArgument, "\(chunk.rowCount) rows where other columns have \(rows)", file: path,
        column: chunk.element.name)
    }
    if rows <= options.rowGroupRows {
      try writeRowGroup(chunks)
      return
    }
    for start in stride(from: 0, to: rows, by: options.rowGroupRows) {
      let range = start..<min(start + options.rowGroupRows, rows)
      try writeRowGroup(chunks.map { $0.slice(rows: range) })
    }
  }
}
