// Deterministic test columns for the writer (SplitMix64, no Foundation randomness): every physical type and
// the logical types the writer annotates, optional ones with about 20% nulls, values drawn from small pools so
// that dictionaries are worth it, and the awkward values (extremes, -0.0, NaN, infinities, empty strings).
import TestSupport

@testable import Parquet

struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// A column to write: its schema element and its rows (nil: null), as raw physical values.
struct TestColumn {
  enum Rows {
    case boolean([Bool?])
    case int32([Int32?])
    case int64([Int64?])
    case int96([Int96?])
    case float([Float?])
    case double([Double?])
    case bytes([[UInt8]?])
  }
  var element: SchemaElement
  var rows: Rows

  var columnData: ColumnData {
    let descriptor = ColumnDescriptor(
      index: 0, path: [element.name], element: element,
      maxDefinitionLevel: element.repetitionType == .optional ? 1 : 0, maxRepetitionLevel: 0)
    func dense<T>(_ rows: [T?], zero: T) -> ([T], Bitmap?) {
      var bits = Bitmap()
      for row in rows { bits.append(row != nil) }
      return (rows.map { $0 ?? zero }, rows.contains { $0 == nil } ? bits : nil)
    }
    switch rows {
    case .boolean(let r):
      let (v, b) = dense(r, zero: false)
      return ColumnData(descriptor: descriptor, values: .boolean(v), validity: b)
    case .int32(let r):
      let (v, b) = dense(r, zero: 0)
      return ColumnData(descriptor: descriptor, values: .int32(v), validity: b)
    case .int64(let r):
      let (v, b) = dense(r, zero: 0)
      return ColumnData(descriptor: descriptor, values: .int64(v), validity: b)
    case .int96(let r):
      let (v, b) = dense(r, zero: Int96(word0: 0, word1: 0, word2: 0))
      return ColumnData(descriptor: descriptor, values: .int96(v), validity: b)
    case .float(let r):
      let (v, b) = dense(r, zero: 0)
      return ColumnData(descriptor: descriptor, values: .float(v), validity: b)
    case .double(let r):
      let (v, b) = dense(r, zero: 0)
      return ColumnData(descriptor: descriptor, values: .double(v), validity: b)
    case .bytes(let r):
      let (v, b) = dense(
        r,
        zero: element.type == .fixedLenByteArray
          ? Array(repeating: 0, count: Int(element.typeLength ?? 0)) : [])
      if element.type == .fixedLenByteArray {
        return ColumnData(
          descriptor: descriptor,
          values: .fixedLenByteArray(
            FixedWidthValues(width: Int(element.typeLength ?? 0), data: v.flatMap { $0 })),
          validity: b)
      }
      var offsets = [0]
      var data: [UInt8] = []
      for value in v {
        data += value
        offsets.append(data.count)
      }
      return ColumnData(
        descriptor: descriptor, values: .byteArray(ByteArrayValues(offsets: offsets, data: data)), validity: b
      )
    }
  }
}

enum WriterTestData {
  static func generate<T>(_ rng: inout SplitMix64, rows: Int, optional: Bool, pool: [T]) -> [T?] {
    (0..<rows).map { _ in
      let value = pool[rng.below(pool.count)]
      return optional && rng.below(5) == 0 ? nil : value
    }
  }

  static func intPool(_ rng: inout SplitMix64, min: Int64, max: Int64) -> [Int64] {
    var pool = [min, max, 0, Swift.max(min, -1), 1]
    let span = UInt64(bitPattern: max &- min)
    while pool.count < 24 {
      let offset = span == UInt64.max ? rng.next() : rng.next() % (span + 1)
      pool.append(min &+ Int64(bitPattern: offset))
    }
    return pool
  }

  /// Big-endian two's complement of `value`, in `width` bytes (or the fewest that hold it when nil).
  static func bigEndian(_ value: Int128, width: Int?) -> [UInt8] {
    var bytes = (0..<16).map { UInt8(truncatingIfNeeded: value >> (8 * (15 - $0))) }
    let target =
      width
      ?? {
        var n = 16
        while n > 1
          && ((bytes[16 - n] == 0 && bytes[17 - n] & 0x80 == 0)
            || (bytes[16 - n] == 0xFF && bytes[17 - n] & 0x80 != 0))
        { n -= 1 }
        return n
      }()
    bytes.removeFirst(16 - target)
    return bytes
  }

  // swiftlint:disable:next function_body_length
  static func allTypes(rows: Int, seed: UInt64) -> [TestColumn] {
    var rng = SplitMix64(state: seed)
    func ints(_ name: String, _ min: Int64, _ max: Int64, _ logical: LogicalType?, optional: Bool = true)
      -> TestColumn
    {
      let pool = intPool(&rng, min: min, max: max).map { Int32(truncatingIfNeeded: $0) }
      return TestColumn(
        element: .leaf(name, .int32, optional: optional, logicalType: logical),
        rows: .int32(generate(&rng, rows: rows, optional: optional, pool: pool)))
    }
    func longs(_ name: String, _ logical: LogicalType?, min: Int64 = .min, max: Int64 = .max) -> TestColumn {
      TestColumn(
        element: .leaf(name, .int64, optional: true, logicalType: logical),
        rows: .int64(generate(&rng, rows: rows, optional: true, pool: intPool(&rng, min: min, max: max))))
    }
    func bytes(
      _ name: String, _ type: PhysicalType, _ logical: LogicalType?, width: Int32?, _ pool: [[UInt8]]
    ) -> TestColumn {
      TestColumn(
        element: .leaf(name, type, optional: true, logicalType: logical, typeLength: width),
        rows: .bytes(generate(&rng, rows: rows, optional: true, pool: pool)))
    }
    let floats: [Float] =
      [0, -0.0, 1.5, -2.25, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
      + (0..<12).map { _ in Float(Int32(truncatingIfNeeded: rng.next())) / 1000 }
    let doubles: [Double] =
      [0, -0.0, 1e300, -1e-300, .infinity, 3.25]
      + (0..<14).map { _ in Double(Int64(truncatingIfNeeded: rng.next())) / 1e9 }
    let halves: [[UInt8]] = [0x0000, 0x8000, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555, 0xBC00].map {
      [UInt8($0 & 0xFF), UInt8($0 >> 8)]
    }
    let strings = ["", "a", "tributary", "tributaries", "Zürich", "日本語", "🦦", "relational database"].map {
      Array($0.utf8)
    }
    let blobs: [[UInt8]] = (0..<10).map { n in (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
    let fixed: [[UInt8]] = (0..<10).map { _ in (0..<5).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
    let uuids: [[UInt8]] = (0..<10).map { _ in (0..<16).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
    let decimals38: [Int128] =
      [0, 1, -1, Int128(Int64.max) * 1_000_000, -(Int128(10).power(37))]
      + (0..<10).map { _ in Int128(Int64(truncatingIfNeeded: rng.next())) * 12_345 }
    let int96s: [Int96] = (0..<10).map { _ in
      let nanos = rng.next() % 86_400_000_000_000
      return Int96(
        word0: UInt32(truncatingIfNeeded: nanos), word1: UInt32(truncatingIfNeeded: nanos >> 32),
        word2: 2_440_588 + UInt32(rng.below(40_000)))
    }
    var columns = [
      TestColumn(
        element: .leaf("bool", .boolean, optional: true),
        rows: .boolean(generate(&rng, rows: rows, optional: true, pool: [true, false]))),
      ints("int8", -128, 127, .integer(bitWidth: 8, isSigned: true)),
      ints("int16", -32768, 32767, .integer(bitWidth: 16, isSigned: true)),
      ints("int32_required", Int64(Int32.min), Int64(Int32.max), nil, optional: false),
      longs("int64", nil),
      ints("uint8", 0, 255, .integer(bitWidth: 8, isSigned: false)),
      ints("uint16", 0, 65535, .integer(bitWidth: 16, isSigned: false)),
      ints("uint32", 0, Int64(UInt32.max), .integer(bitWidth: 32, isSigned: false)),
      longs("uint64", .integer(bitWidth: 64, isSigned: false)),
      TestColumn(
        element: .leaf("float", .float, optional: true),
        rows: .float(generate(&rng, rows: rows, optional: true, pool: floats + [.nan]))),
      TestColumn(
        element: .leaf("double", .double, optional: true),
        rows: .double(generate(&rng, rows: rows, optional: true, pool: doubles))),
      bytes("float16", .fixedLenByteArray, .float16, width: 2, halves),
      bytes("string", .byteArray, .string, width: nil, strings),
      bytes("binary", .byteArray, nil, width: nil, blobs),
      bytes("fixed5", .fixedLenByteArray, nil, width: 5, fixed),
      ints("date", -100_000, 100_000, .date),
      ints("time_ms", 0, 86_399_999, .time(isAdjustedToUTC: true, unit: .millis)),
      longs("time_us", .time(isAdjustedToUTC: true, unit: .micros), min: 0, max: 86_399_999_999),
      longs(
        "ts_ms", .timestamp(isAdjustedToUTC: false, unit: .millis), min: -10_000_000_000_000,
        max: 10_000_000_000_000),
      longs(
        "ts_us_utc", .timestamp(isAdjustedToUTC: true, unit: .micros), min: -10_000_000_000_000_000,
        max: 10_000_000_000_000_000),
      longs("ts_ns", .timestamp(isAdjustedToUTC: false, unit: .nanos)),
      longs("ts_ns_utc", .timestamp(isAdjustedToUTC: true, unit: .nanos)),
      ints("decimal_9_2", -999_999_999, 999_999_999, .decimal(scale: 2, precision: 9)),
      longs(
        "decimal_18_4", .decimal(scale: 4, precision: 18), min: -999_999_999_999_999_999,
        max: 999_999_999_999_999_999),
      bytes(
        "decimal_38_10", .fixedLenByteArray, .decimal(scale: 10, precision: 38), width: 16,
        decimals38.map { bigEndian($0, width: 16) }),
      bytes(
        "decimal_30_3_bytes", .byteArray, .decimal(scale: 3, precision: 30), width: nil,
        decimals38.map { bigEndian($0 / 100_000_000, width: nil) }),
      bytes("uuid", .fixedLenByteArray, .uuid, width: 16, uuids),
      TestColumn(
        element: .leaf("int96", .int96, optional: true),
        rows: .int96(generate(&rng, rows: rows, optional: true, pool: int96s))),
    ]
    columns.append(
      TestColumn(
        element: .leaf("all_null", .int32, optional: true), rows: .int32(Array(repeating: nil, count: rows))))
    return columns
  }
}
