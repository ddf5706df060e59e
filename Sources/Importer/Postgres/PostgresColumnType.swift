// How each PostgreSQL column type becomes a Parquet column, from the catalog's type name and type modifier:
// smallint/integer/bigint/oid -> INT64, real/double -> DOUBLE, boolean, date -> DATE, timestamp (naive) and
// timestamptz (UTC) -> TIMESTAMP(µs), numeric(p, s) with 0 <= s <= p <= 38 -> DECIMAL(p, s) (INT32 up to 9 digits,
// INT64 up to 18, 16-byte FIXED_LEN_BYTE_ARRAY beyond), unconstrained numeric (or one Parquet cannot hold) ->
// DOUBLE (converted by the server, correctly rounded), text/varchar/char/name -> STRING as stored, and everything
// else (uuid, json, arrays, money, intervals, ...) -> STRING as PostgreSQL prints it (selected as `::text`).
import Parquet

enum PostgresColumnType: Equatable {
  case int16, int32, int64, oid, float32, float64, boolean, date
  case timestamp(zoned: Bool)
  case decimal(precision: Int, scale: Int)
  /// Unconstrained numeric: the server casts it to float8.
  case numericAsDouble
  /// Text stored as text: the binary format is the UTF-8 bytes.
  case text
  /// Any other type, selected as `::text`.
  case printed

  /// From `pg_type.typname` and `pg_attribute.atttypmod` (of the base type, for domains).
  init(typeName: String, typeModifier: Int) {
    switch typeName {
    case "int2": self = .int16
    case "int4": self = .int32
    case "int8": self = .int64
    case "oid": self = .oid
    case "float4": self = .float32
    case "float8": self = .float64
    case "bool": self = .boolean
    case "date": self = .date
    case "timestamp": self = .timestamp(zoned: false)
    case "timestamptz": self = .timestamp(zoned: true)
    case "numeric": self = Self.numeric(typeModifier: typeModifier)
    case "text", "varchar", "bpchar", "name": self = .text
    default: self = .printed
    }
  }

  /// numeric's typmod is ((precision << 16) | scale) + 4, the scale an 11-bit signed field (PostgreSQL 15+).
  static func numeric(typeModifier: Int) -> PostgresColumnType {
    guard typeModifier >= 4 else { return .numericAsDouble }
    let packed = typeModifier - 4
    let precision = (packed >> 16) & 0xFFFF
    let rawScale = packed & 0x7FF
    let scale = rawScale >= 0x400 ? rawScale - 0x800 : rawScale
    guard (1...38).contains(precision), (0...precision).contains(scale) else { return .numericAsDouble }
    return .decimal(precision: precision, scale: scale)
  }

  /// The column as the SELECT list names it.
  func selectExpression(_ quotedName: String) -> String {
    switch self {
    case .numericAsDouble: return "\(quotedName)::float8"
    case .printed: return "\(quotedName)::text"
    default: return quotedName
    }
  }

  /// Bytes of one value in the binary format, for the fixed-width types.
  var binaryWidth: Int? {
    switch self {
    case .int16: return 2
    case .int32, .oid, .float32, .date: return 4
    case .int64, .float64, .numericAsDouble, .timestamp: return 8
    case .boolean: return 1
    case .decimal, .text, .printed: return nil
    }
  }

  /// The name `import` reports (the CSV importer's names, plus decimal).
  var reportedName: String {
    switch self {
    case .int16, .int32, .int64, .oid: return "integer"
    case .float32, .float64, .numericAsDouble: return "float"
    case .boolean: return "boolean"
    case .date: return "date"
    case .timestamp: return "timestamp"
    case .decimal: return "decimal"
    case .text, .printed: return "string"
    }
  }

  func schemaElement(name: String) -> SchemaElement {
    switch self {
    case .int16, .int32, .int64, .oid: return .leaf(name, .int64, optional: true)
    case .float32, .float64, .numericAsDouble: return .leaf(name, .double, optional: true)
    case .boolean: return .leaf(name, .boolean, optional: true)
    case .date: return .leaf(name, .int32, optional: true, logicalType: .date)
    case .timestamp(let zoned):
      return .leaf(
        name, .int64, optional: true, logicalType: .timestamp(isAdjustedToUTC: zoned, unit: .micros))
    case .decimal(let precision, let scale):
      let logical = LogicalType.decimal(scale: Int32(scale), precision: Int32(precision))
      if precision <= 9 { return .leaf(name, .int32, optional: true, logicalType: logical) }
      if precision <= 18 { return .leaf(name, .int64, optional: true, logicalType: logical) }
      return .leaf(
        name, .fixedLenByteArray, optional: true, logicalType: logical,
        typeLength: Int32(PostgresNumeric.fixedWidth))
    case .text, .printed: return .leaf(name, .byteArray, optional: true, logicalType: .string)
    }
  }
}
