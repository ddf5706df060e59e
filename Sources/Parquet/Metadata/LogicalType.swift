// parquet.thrift `LogicalType` (a union) and `TimeUnit`. Union members this reader does not know decode as
// `.unknownMember(fieldId)` so that a newer writer's annotation never makes a file unreadable.

/// parquet.thrift `TimeUnit`.
public enum TimeUnit: Sendable, Equatable, Hashable {
  case millis
  case micros
  case nanos
}

/// parquet.thrift `LogicalType`.
public enum LogicalType: Sendable, Equatable, Hashable {
  case string
  case map
  case list
  case `enum`
  case decimal(scale: Int32, precision: Int32)
  case date
  case time(isAdjustedToUTC: Bool, unit: TimeUnit)
  case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
  case integer(bitWidth: Int8, isSigned: Bool)
  /// `NullType`: the column is always null.
  case unknown
  case json
  case bson
  case uuid
  case float16
  case variant
  case geometry
  case geography
  /// A union member this reader does not know, by its Thrift field id.
  case unknownMember(Int16)
}

extension TimeUnit {
  static func read(_ reader: inout CompactReader) throws(ParquetError) -> TimeUnit {
    var unit: TimeUnit?
    try reader.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: unit = .millis
      case 2: unit = .micros
      case 3: unit = .nanos
      default: break
      }
      try r.skip(field.type)
    }
    guard let unit else { throw reader.error("TimeUnit without a known member") }
    return unit
  }
}

extension LogicalType {
  static func read(_ reader: inout CompactReader) throws(ParquetError) -> LogicalType {
    var result: LogicalType?
    try reader.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 5: result = try readDecimal(&r, field)
      case 7, 8: result = try readTimeOrTimestamp(&r, field)
      case 10: result = try readInteger(&r, field)
      default:
        result = simple(field.id)
        try r.skip(field.type)
      }
    }
    guard let result else { throw reader.error("LogicalType union without a member") }
    return result
  }

  private static func simple(_ id: Int16) -> LogicalType {
    switch id {
    case 1: return .string
    case 2: return .map
    case 3: return .list
    case 4: return .enum
    case 6: return .date
    case 11: return .unknown
    case 12: return .json
    case 13: return .bson
    case 14: return .uuid
    case 15: return .float16
    case 16: return .variant
    case 17: return .geometry
    case 18: return .geography
    default: return .unknownMember(id)
    }
  }

  private static func readDecimal(_ r: inout CompactReader, _ header: FieldHeader) throws(ParquetError)
    -> LogicalType
  {
    try r.expect(header, .structure)
    var scale: Int32 = 0
    var precision: Int32?
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: scale = try r.i32(field)
      case 2: precision = try r.i32(field)
      default: try r.skip(field.type)
      }
    }
    guard let precision else { throw r.error("DecimalType without precision") }
    return .decimal(scale: scale, precision: precision)
  }

  private static func readTimeOrTimestamp(_ r: inout CompactReader, _ header: FieldHeader)
    throws(ParquetError)
    -> LogicalType
  {
    try r.expect(header, .structure)
    var adjusted = false
    var unit: TimeUnit?
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: adjusted = try r.bool(field)
      case 2:
        try r.expect(field, .structure)
        unit = try TimeUnit.read(&r)
      default: try r.skip(field.type)
      }
    }
    guard let unit else { throw r.error("time/timestamp type without a unit") }
    return header.id == 7
      ? .time(isAdjustedToUTC: adjusted, unit: unit) : .timestamp(isAdjustedToUTC: adjusted, unit: unit)
  }

  private static func readInteger(_ r: inout CompactReader, _ header: FieldHeader) throws(ParquetError)
    -> LogicalType
  {
    try r.expect(header, .structure)
    var bitWidth: Int8?
    var signed = true
    try r.readStruct { (r, field) throws(ParquetError) in
      switch field.id {
      case 1: bitWidth = try r.i8(field)
      case 2: signed = try r.bool(field)
      default: try r.skip(field.type)
      }
    }
    guard let bitWidth, [8, 16, 32, 64].contains(bitWidth) else {
      throw r.error("IntType with a bad bit width")
    }
    return .integer(bitWidth: bitWidth, isSigned: signed)
  }
}
