// The one protocol every value decoder implements (one struct per encoding, one file each), and per physical
// type the choice of decoder for a page's encoding. Decoders are called statically (no existentials), so each is
// specialised for its value type. Refuses encodings that do not apply to the physical type.

/// Decodes the non-null values of one page, appending them to a buffer.
protocol ValuesDecoder<Buffer> {
  associatedtype Buffer: ValueBuffer
  /// Appends the next `count` values to `buffer`; throws if the page holds fewer.
  mutating func decode(_ count: Int, into buffer: inout Buffer) throws(ParquetError)
}

extension ValuesDecoder {
  /// Decodes `count` values with a fresh decoder (one page).
  @inline(__always)
  static func run(_ decoder: Self, _ count: Int, into buffer: inout Buffer) throws(ParquetError) {
    var decoder = decoder
    try decoder.decode(count, into: &buffer)
  }
}

/// Per-physical-type choices: the buffer it decodes into and the decoder for each encoding.
protocol PhysicalKind {
  associatedtype Buffer: ValueBuffer
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> Buffer
  /// Decodes `count` values of a page in `encoding` into `buffer`.
  static func decode(
    _ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor, count: Int,
    into buffer: inout Buffer
  ) throws(ParquetError)
  static func values(_ buffer: Buffer) -> ColumnValues
}

func unsupportedEncoding(_ encoding: Encoding, _ descriptor: ColumnDescriptor) -> ParquetError {
  ParquetError(.unsupported, "encoding \(encoding) is not valid for \(descriptor.physicalType) values")
}

enum BooleanKind: PhysicalKind {
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> [Bool] { [] }
  static func decode(
    _ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor, count: Int,
    into buffer: inout [Bool]
  ) throws(ParquetError) {
    switch encoding {
    case .plain: try PlainBooleanDecoder.run(PlainBooleanDecoder(data), count, into: &buffer)
    case .rle: try RleBooleanDecoder.run(RleBooleanDecoder(data), count, into: &buffer)
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

  static func decode(
    _ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor, count: Int,
    into buffer: inout [Value]
  ) throws(ParquetError) {
    switch encoding {
    case .plain: try PlainFixedDecoder.run(PlainFixedDecoder<Value>(data), count, into: &buffer)
    case .byteStreamSplit where Value.self != Int96.self:
      try ByteStreamSplitDecoder.run(ByteStreamSplitDecoder<Value>(data), count, into: &buffer)
    case .deltaBinaryPacked where Value.self == Int32.self:
      try decodeDelta(Int32.self, data, count: count, into: &buffer)
    case .deltaBinaryPacked where Value.self == Int64.self:
      try decodeDelta(Int64.self, data, count: count, into: &buffer)
    default: throw unsupportedEncoding(encoding, descriptor)
    }
  }

  /// DELTA_BINARY_PACKED for INT32/INT64 (`Value` is `Integer`, checked by the caller).
  private static func decodeDelta<Integer: FixedWidthInteger & FixedValue>(
    _: Integer.Type, _ data: UnsafeRawBufferPointer, count: Int, into buffer: inout [Value]
  ) throws(ParquetError) {
    var decoder = try DeltaBinaryPackedDecoder<Integer>(data)
    var values: [Integer] = []
    try decoder.decode(count, into: &values)
    values.withUnsafeBytes { raw in
      if let base = raw.baseAddress { buffer.appendRaw(base, count: count) }
    }
  }
}

enum Int32Kind: NumericKind {
  typealias Value = Int32
  static func values(_ buffer: [Int32]) -> ColumnValues { .int32(buffer) }
}

enum Int64Kind: NumericKind {
  typealias Value = Int64
  static func values(_ buffer: [Int64]) -> ColumnValues { .int64(buffer) }
}

enum Int96Kind: NumericKind {
  typealias Value = Int96
  static func values(_ buffer: [Int96]) -> ColumnValues { .int96(buffer) }
}

enum FloatKind: NumericKind {
  typealias Value = Float
  static func values(_ buffer: [Float]) -> ColumnValues { .float(buffer) }
}

enum DoubleKind: NumericKind {
  typealias Value = Double
  static func values(_ buffer: [Double]) -> ColumnValues { .double(buffer) }
}

enum ByteArrayKind: PhysicalKind {
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> ByteArrayValues { ByteArrayValues() }
  static func decode(
    _ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor, count: Int,
    into buffer: inout ByteArrayValues
  ) throws(ParquetError) {
    switch encoding {
    case .plain: try PlainByteArrayDecoder.run(PlainByteArrayDecoder(data), count, into: &buffer)
    case .deltaLengthByteArray:
      try DeltaLengthByteArrayDecoder.run(DeltaLengthByteArrayDecoder(data), count, into: &buffer)
    case .deltaByteArray: try DeltaByteArrayDecoder.run(DeltaByteArrayDecoder(data), count, into: &buffer)
    default: throw unsupportedEncoding(encoding, descriptor)
    }
  }
  static func values(_ buffer: ByteArrayValues) -> ColumnValues { .byteArray(buffer) }
}

enum FixedLenByteArrayKind: PhysicalKind {
  static func emptyBuffer(_ descriptor: ColumnDescriptor) -> FixedWidthValues {
    FixedWidthValues(width: descriptor.typeLength)
  }
  static func decode(
    _ encoding: Encoding, _ data: UnsafeRawBufferPointer, _ descriptor: ColumnDescriptor, count: Int,
    into buffer: inout FixedWidthValues
  ) throws(ParquetError) {
    let width = descriptor.typeLength
    switch encoding {
    case .plain:
      try PlainFixedWidthDecoder.run(PlainFixedWidthDecoder(data, width: width), count, into: &buffer)
    case .byteStreamSplit:
      try ByteStreamSplitFixedWidthDecoder.run(
        ByteStreamSplitFixedWidthDecoder(data, width: width), count, into: &buffer)
    case .deltaByteArray:
      try FixedWidthDeltaByteArrayDecoder.run(
        FixedWidthDeltaByteArrayDecoder(data, width: width), count, into: &buffer)
    default: throw unsupportedEncoding(encoding, descriptor)
    }
  }
  static func values(_ buffer: FixedWidthValues) -> ColumnValues { .fixedLenByteArray(buffer) }
}
