// The one protocol every value decoder implements (one struct per encoding, one file each), and the factory
// that picks a decoder for a page's encoding and the column's physical type.
// Refuses encodings that do not apply to the physical type (e.g. DELTA_BINARY_PACKED on DOUBLE).

/// Decodes the non-null values of one page, appending them to a buffer.
protocol ValuesDecoder<Buffer> {
  associatedtype Buffer: ValueBuffer
  /// Appends the next `count` values to `buffer`; throws if the page holds fewer.
  mutating func decode(_ count: Int, into buffer: inout Buffer) throws(ParquetError)
}

/// Per-physical-type choices: the buffer it decodes into and the decoders for each encoding.
protocol PhysicalKind {
  associatedtype Buffer: ValueBuffer
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> Buffer
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<Buffer>
  static func values(_ buffer: Buffer) -> ColumnValues
}

func unsupportedEncoding(_ encoding: Encoding, _ descriptor: ColumnDescriptor) -> ParquetError {
  ParquetError(.unsupported, "encoding \(encoding) is not valid for \(descriptor.physicalType) values")
}

enum BooleanKind: PhysicalKind {
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> [Bool] { [] }
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<[Bool]>
  {
    switch encoding {
    case .plain: return PlainBooleanDecoder(data)
    case .rle: return try RleBooleanDecoder(data)
    default: throw unsupportedEncoding(encoding, descriptor)
    }
  }
  static func values(_ buffer: [Bool]) -> ColumnValues { .boolean(buffer) }
}

/// INT32, INT64, FLOAT, DOUBLE, INT96: fixed-width numbers.
protocol NumericKind: PhysicalKind where Buffer == [Value] {
  associatedtype Value: FixedValue
}

extension NumericKind {
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> [Value] { [] }
  static func numericDecoder(
    _ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor
  )
    throws(ParquetError) -> any ValuesDecoder<[Value]>
  {
    switch encoding {
    case .plain: return PlainFixedDecoder<Value>(data)
    case .byteStreamSplit where Value.self != Int96.self: return try ByteStreamSplitDecoder<Value>(data)
    default: throw unsupportedEncoding(encoding, descriptor)
    }
  }
}

enum Int32Kind: NumericKind {
  typealias Value = Int32
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<[Int32]>
  {
    if encoding == .deltaBinaryPacked { return try DeltaBinaryPackedDecoder<Int32>(data) }
    return try numericDecoder(encoding, data, descriptor)
  }
  static func values(_ buffer: [Int32]) -> ColumnValues { .int32(buffer) }
}

enum Int64Kind: NumericKind {
  typealias Value = Int64
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<[Int64]>
  {
    if encoding == .deltaBinaryPacked { return try DeltaBinaryPackedDecoder<Int64>(data) }
    return try numericDecoder(encoding, data, descriptor)
  }
  static func values(_ buffer: [Int64]) -> ColumnValues { .int64(buffer) }
}

enum Int96Kind: NumericKind {
  typealias Value = Int96
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<[Int96]>
  { try numericDecoder(encoding, data, descriptor) }
  static func values(_ buffer: [Int96]) -> ColumnValues { .int96(buffer) }
}

enum FloatKind: NumericKind {
  typealias Value = Float
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<[Float]>
  { try numericDecoder(encoding, data, descriptor) }
  static func values(_ buffer: [Float]) -> ColumnValues { .float(buffer) }
}

enum DoubleKind: NumericKind {
  typealias Value = Double
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<[Double]>
  { try numericDecoder(encoding, data, descriptor) }
  static func values(_ buffer: [Double]) -> ColumnValues { .double(buffer) }
}

enum ByteArrayKind: PhysicalKind {
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> ByteArrayValues { ByteArrayValues() }
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<ByteArrayValues>
  {
    switch encoding {
    case .plain: return PlainByteArrayDecoder(data)
    case .deltaLengthByteArray: return try DeltaLengthByteArrayDecoder(data)
    case .deltaByteArray: return try DeltaByteArrayDecoder(data)
    default: throw unsupportedEncoding(encoding, descriptor)
    }
  }
  static func values(_ buffer: ByteArrayValues) -> ColumnValues { .byteArray(buffer) }
}

enum FixedLenByteArrayKind: PhysicalKind {
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> FixedWidthValues {
    FixedWidthValues(width: descriptor.typeLength)
  }
  static func decoder(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor)
    throws(ParquetError) -> any ValuesDecoder<FixedWidthValues>
  {
    let width = descriptor.typeLength
    switch encoding {
    case .plain: return PlainFixedWidthDecoder(data, width: width)
    case .byteStreamSplit: return try ByteStreamSplitFixedWidthDecoder(data, width: width)
    case .deltaByteArray: return try FixedWidthDeltaByteArrayDecoder(data, width: width)
    default: throw unsupportedEncoding(encoding, descriptor)
    }
  }
  static func values(_ buffer: FixedWidthValues) -> ColumnValues { .fixedLenByteArray(buffer) }
}
