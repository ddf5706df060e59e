// parquet.thrift `Statistics` and `KeyValue`: plain values plus their compact-protocol decoders.

/// parquet.thrift `Statistics` (min/max are the plain-encoded bytes of the value).
public struct Statistics: Sendable, Equatable {
  public var max: [UInt8]?
  public var min: [UInt8]?
  public var nullCount: Int64?
  public var distinctCount: Int64?
  public var maxValue: [UInt8]?
  public var minValue: [UInt8]?
  public var isMaxValueExact: Bool?
  public var isMinValueExact: Bool?

  public init(
    max: [UInt8]? = nil, min: [UInt8]? = nil, nullCount: Int64? = nil, distinctCount: Int64? = nil,
    maxValue: [UInt8]? = nil, minValue: [UInt8]? = nil, isMaxValueExact: Bool? = nil,
    isMinValueExact: Bool? = nil
  ) {
    self.max = max
    self.min = min
    self.nullCount = nullCount
    self.distinctCount = distinctCount
    self.maxValue = maxValue
    self.minValue = minValue
    self.isMaxValueExact = isMaxValueExact
    self.isMinValueExact = isMinValueExact
  }
}

/// parquet.thrift `KeyValue`.
public struct KeyValue: Sendable, Equatable {
  public var key: String
  public var value: String?

  public init(key: String, value: String? = nil) {
    self.key = key
    self.value = value
  }
}

extension Statistics {
  init(reading r: inout CompactReader) throws(ParquetError) {
    self.init()
    var s = self
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: s.max = try r.binary(field)
      case 2: s.min = try r.binary(field)
      case 3: s.nullCount = try r.i64(field)
      case 4: s.distinctCount = try r.i64(field)
      case 5: s.maxValue = try r.binary(field)
      case 6: s.minValue = try r.binary(field)
      case 7: s.isMaxValueExact = try r.bool(field)
      case 8: s.isMinValueExact = try r.bool(field)
      default: try r.skip(field.type)
      }
    }
    self = s
  }

  static func read(_ r: inout CompactReader, _ header: FieldHeader) throws(ParquetError) -> Statistics {
    try r.expect(header, .structure)
    return try Statistics(reading: &r)
  }
}

extension KeyValue {
  static func readList(_ r: inout CompactReader, _ header: FieldHeader) throws(ParquetError) -> [KeyValue] {
    try r.list(header) { (r, type) throws(ParquetError) in
      guard type == .structure else { throw r.error("KeyValue list of \(type)") }
      var key: String?
      var value: String?
      try r.readStruct { (r, field) throws(ParquetError) in
        switch field.id {
        case 1: key = try r.string(field)
        case 2: value = try r.string(field)
        default: try r.skip(field.type)
        }
      }
      guard let key else { throw r.error("KeyValue without key") }
      return KeyValue(key: key, value: value)
    }
  }
}

extension CompactReader {
  /// Reads a list of i32-coded enum values, dropping values this reader does not know.
  mutating func enumList<E: RawRepresentable>(_ header: FieldHeader, _: E.Type) throws(ParquetError) -> [E]
  where E.RawValue == Int32 {
    let raws = try list(header) { (r, type) throws(ParquetError) in
      guard type == .i32 else { throw r.error("expected a list of i32, found \(type)") }
      return try r.readI32()
    }
    return raws.compactMap { E(rawValue: $0) }
  }

  mutating func stringList(_ header: FieldHeader) throws(ParquetError) -> [String] {
    try list(header) { (r, type) throws(ParquetError) in
      guard type == .binary else { throw r.error("expected a list of strings, found \(type)") }
      return try r.readString()
    }
  }

  /// Reads a list of structs, each decoded by `element`.
  mutating func structList<T>(
    _ header: FieldHeader, _ element: (inout CompactReader) throws(ParquetError) -> T
  ) throws(ParquetError) -> [T] {
    try list(header) { (r, type) throws(ParquetError) in
      guard type == .structure else { throw r.error("expected a list of structs, found \(type)") }
      return try element(&r)
    }
  }
}
