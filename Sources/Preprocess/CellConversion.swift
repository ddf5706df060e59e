// Parquet columns into the forms preprocessing encodes: numbers as Float64, times as µs since the epoch, booleans,
// strings, and key parts. A semantic type that does not fit the column's Parquet type is an error naming both.
import DatabaseSpec
import Parquet
import Store

enum CellConversion {
  struct Mismatch: Error {
    var message: String
  }

  /// Float64 per row (nulls give 0; the caller consults validity). Integers, floats, decimals, booleans.
  static func numbers(_ column: ColumnData) throws(Mismatch) -> [Double] {
    switch column.values {
    case .int32(let v):
      let scale = decimalScale(column.descriptor)
      return v.map { Double($0) / scale }
    case .int64(let v):
      let scale = decimalScale(column.descriptor)
      if isUnsigned(column.descriptor) { return v.map { Double(UInt64(bitPattern: $0)) / scale } }
      return v.map { Double($0) / scale }
    case .float(let v): return v.map { Double($0) }
    case .double(let v): return v
    case .boolean(let v): return v.map { $0 ? 1 : 0 }
    default:
      // DECIMAL wider than 18 digits (fixed-length or variable byte arrays) and FLOAT16.
      if let values = column.doubleValues() { return values }
      throw Mismatch(message: "is \(typeName(column.descriptor)), which is not a number")
    }
  }

  /// µs since the epoch per row: TIMESTAMP (any unit), legacy TIMESTAMP_MILLIS/MICROS, DATE, INT96.
  static func micros(_ column: ColumnData) throws(Mismatch) -> [Int64] {
    let descriptor = column.descriptor
    switch (column.values, descriptor.logicalType, descriptor.convertedType) {
    case (.int64(let v), .timestamp(_, let unit)?, _):
      switch unit {
      case .millis: return v.map { $0 &* 1_000 }
      case .micros: return v
      case .nanos: return v.map { ISO8601Micros.floorDiv($0, 1_000) }
      }
    case (.int64(let v), nil, .timestampMillis?): return v.map { $0 &* 1_000 }
    case (.int64(let v), nil, .timestampMicros?): return v
    case (.int32(let v), .date?, _), (.int32(let v), nil, .date?):
      return v.map { Int64($0) * ISO8601Micros.microsPerDay }
    case (.int96(let v), _, _):
      // Julian day in the high 4 bytes, nanoseconds of the day in the low 8; day 2440588 is 1970-01-01.
      return v.map {
        (Int64($0.word2) - 2_440_588) * ISO8601Micros.microsPerDay + Int64(bitPattern: $0.low64) / 1_000
      }
    default:
      throw Mismatch(message: "is \(typeName(descriptor)), which is not a timestamp or date")
    }
  }

  static func booleans(_ column: ColumnData) throws(Mismatch) -> [Bool] {
    switch column.values {
    case .boolean(let v): return v
    case .int32(let v): return v.map { $0 != 0 }
    case .int64(let v): return v.map { $0 != 0 }
    default: throw Mismatch(message: "is \(typeName(column.descriptor)), which is not a boolean")
    }
  }

  /// The string form of every row (categorical and text values; the words of "<column> is <value>").
  static func strings(_ column: ColumnData) throws(Mismatch) -> [String] {
    switch column.values {
    case .byteArray(let v):
      return (0..<v.count).map { String(decoding: v[$0], as: UTF8.self) }
    case .int32(let v): return v.map(String.init)
    case .int64(let v): return v.map(String.init)
    case .boolean(let v): return v.map { $0 ? "true" : "false" }
    case .double(let v): return v.map { canonical($0) }
    case .float(let v): return v.map { canonical(Double($0)) }
    default: throw Mismatch(message: "is \(typeName(column.descriptor)), which has no string form")
    }
  }

  /// A key column as comparable parts: integers and times as Int64, strings as bytes.
  static func keyPart(_ column: ColumnData) throws(Mismatch) -> KeyPart {
    switch column.values {
    case .int32(let v):
      if (try? micros(column)) != nil { return .integers(try micros(column)) }
      return .integers(v.map { Int64($0) })
    case .int64(let v):
      if column.descriptor.logicalType != nil || column.descriptor.convertedType != nil,
        let times = try? micros(column)
      {
        return .integers(times)
      }
      return .integers(v)
    case .int96: return .integers(try micros(column))
    case .byteArray(let v): return .strings(offsets: v.offsets, data: v.data)
    case .fixedLenByteArray(let v):
      return .strings(offsets: (0...v.count).map { $0 * v.width }, data: v.data)
    case .boolean(let v): return .integers(v.map { $0 ? 1 : 0 })
    default: throw Mismatch(message: "is \(typeName(column.descriptor)), which cannot be a key")
    }
  }

  private static func decimalScale(_ descriptor: ColumnDescriptor) -> Double {
    if case .decimal(let scale, _)? = descriptor.logicalType { return pow10(Int(scale)) }
    if descriptor.convertedType == .decimal, let scale = descriptor.element.scale { return pow10(Int(scale)) }
    return 1
  }

  private static func isUnsigned(_ descriptor: ColumnDescriptor) -> Bool {
    if case .integer(_, let signed)? = descriptor.logicalType { return !signed }
    return descriptor.convertedType == .uint64
  }

  private static func pow10(_ exponent: Int) -> Double {
    var value = 1.0
    for _ in 0..<max(0, exponent) { value *= 10 }
    return value
  }

  private static func canonical(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
  }

  static func typeName(_ descriptor: ColumnDescriptor) -> String {
    var name = "\(descriptor.physicalType)"
    if let logical = descriptor.logicalType {
      name += " (\(logical))"
    } else if let converted = descriptor.convertedType {
      name += " (\(converted))"
    }
    return name
  }
}
