// How to read a leaf column's physical values: its logical type (or legacy converted type) resolved once per
// column into one `Interpretation`. Unknown or inapplicable annotations fall back to the physical type.

/// What a column's values mean, resolved from the logical type, then the converted type, then the physical type.
public enum Interpretation: Sendable, Equatable {
  case boolean
  case signedInteger
  /// Unsigned integers stored in INT32/INT64 (reinterpret the bits).
  case unsignedInteger
  case floatingPoint
  case float16
  case string
  /// Bytes without a logical type (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, BSON, intervals).
  case binary
  /// Days since 1970-01-01 (INT32).
  case date
  case timestamp(unit: TimeUnit, isAdjustedToUTC: Bool)
  /// Legacy INT96 timestamps: nanoseconds of the day and a Julian day; read as UTC.
  case int96Timestamp
  case time(unit: TimeUnit)
  case decimal(scale: Int, precision: Int)
  case uuid
}

extension ColumnDescriptor {
  /// The interpretation of this column's values.
  public var interpretation: Interpretation {
    let physical = physicalType
    if physical == .int96 { return .int96Timestamp }
    if let logical = logicalType, let resolved = Self.resolve(logical, physical) { return resolved }
    if let converted = convertedType, let resolved = resolve(converted, physical) { return resolved }
    switch physical {
    case .boolean: return .boolean
    case .int32, .int64: return .signedInteger
    case .int96: return .int96Timestamp
    case .float, .double: return .floatingPoint
    case .byteArray, .fixedLenByteArray: return .binary
    }
  }

  private static func resolve(_ logical: LogicalType, _ physical: PhysicalType) -> Interpretation? {
    let isInteger = physical == .int32 || physical == .int64
    let isBytes = physical == .byteArray || physical == .fixedLenByteArray
    switch logical {
    case .string, .enum, .json: return physical == .byteArray ? .string : nil
    case .date: return physical == .int32 ? .date : nil
    case .timestamp(let utc, let unit):
      return physical == .int64 ? .timestamp(unit: unit, isAdjustedToUTC: utc) : nil
    case .time(_, let unit): return isInteger ? .time(unit: unit) : nil
    case .decimal(let scale, let precision):
      return isInteger || isBytes ? .decimal(scale: Int(scale), precision: Int(precision)) : nil
    case .integer(_, let signed): return isInteger ? (signed ? .signedInteger : .unsignedInteger) : nil
    case .uuid: return physical == .fixedLenByteArray ? .uuid : nil
    case .float16: return physical == .fixedLenByteArray ? .float16 : nil
    default: return nil
    }
  }

  private func resolve(_ converted: ConvertedType, _ physical: PhysicalType) -> Interpretation? {
    let isInteger = physical == .int32 || physical == .int64
    switch converted {
    case .utf8, .enum, .json: return physical == .byteArray ? .string : nil
    case .date: return physical == .int32 ? .date : nil
    case .timestampMillis: return physical == .int64 ? .timestamp(unit: .millis, isAdjustedToUTC: true) : nil
    case .timestampMicros: return physical == .int64 ? .timestamp(unit: .micros, isAdjustedToUTC: true) : nil
    case .timeMillis: return physical == .int32 ? .time(unit: .millis) : nil
    case .timeMicros: return physical == .int64 ? .time(unit: .micros) : nil
    case .decimal:
      return .decimal(scale: Int(element.scale ?? 0), precision: Int(element.precision ?? 0))
    case .uint8, .uint16, .uint32, .uint64: return isInteger ? .unsignedInteger : nil
    case .int8, .int16, .int32, .int64: return isInteger ? .signedInteger : nil
    default: return nil
    }
  }
}
