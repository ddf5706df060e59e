// The test's own reading of test columns, in the rendering of tools/check_written_parquet.py, and a reference
// computation of min/max per logical type written independently of the writer's StatisticsBuilder.
@testable import Parquet

enum ReferenceRendering {
  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
      .joined()
  }

  static func littleEndianHex<T: BitwiseCopyable>(_ value: T) -> String {
    withUnsafeBytes(of: value) { hex($0) }
  }

  static func bigEndianInteger(_ bytes: [UInt8]) -> Int128 {
    var value: Int128 = (bytes.first ?? 0) & 0x80 != 0 ? -1 : 0
    for byte in bytes { value = value << 8 | Int128(byte) }
    return value
  }

  static func isUnsigned(_ element: SchemaElement) -> Bool {
    if case .integer(_, false) = element.logicalType { return true }
    return false
  }

  static func isDecimal(_ element: SchemaElement) -> Bool {
    if case .decimal = element.logicalType { return true }
    return false
  }

  /// Every row rendered (nil: null).
  static func values(_ column: TestColumn) -> [String?] {
    let element = column.element
    switch column.rows {
    case .boolean(let r): return r.map { $0.map { $0 ? "true" : "false" } }
    case .int32(let r):
      return r.map { $0.map { isUnsigned(element) ? String(UInt32(bitPattern: $0)) : String($0) } }
    case .int64(let r):
      return r.map { $0.map { isUnsigned(element) ? String(UInt64(bitPattern: $0)) : String($0) } }
    case .float(let r): return r.map { $0.map { littleEndianHex($0.bitPattern) } }
    case .double(let r): return r.map { $0.map { littleEndianHex($0.bitPattern) } }
    case .int96(let r):
      return r.map {
        $0.map { v in
          String((Int64(v.word2) - 2_440_588) * 86_400_000_000_000 + Int64(v.word0) + Int64(v.word1) << 32)
        }
      }
    case .bytes(let r): return r.map { $0.map { renderBytes($0, element) } }
    }
  }

  static func renderBytes(_ bytes: [UInt8], _ element: SchemaElement) -> String {
    if element.logicalType == .string { return String(decoding: bytes, as: UTF8.self) }
    if isDecimal(element) { return String(bigEndianInteger(bytes)) }
    return hex(bytes)
  }

  /// (min, max, null count) of `rows` as pyarrow should read the chunk statistics.
  static func statistics(_ column: TestColumn, rows: Range<Int>) -> (String?, String?, Int) {
    let element = column.element
    func extremes<T, K: Comparable>(_ r: [T?], _ key: (T) -> K?, _ render: (T) -> String) -> (
      String?, String?, Int
    ) {
      let present = r[rows].compactMap { $0 }
      let keyed = present.compactMap { v in key(v).map { (v, $0) } }
      let nulls = rows.count - present.count
      guard let low = keyed.min(by: { $0.1 < $1.1 }), let high = keyed.max(by: { $0.1 < $1.1 }) else {
        return (nil, nil, nulls)
      }
      return (render(low.0), render(high.0), nulls)
    }
    switch column.rows {
    case .boolean(let r): return extremes(r, { $0 ? 1 : 0 }, { $0 ? "true" : "false" })
    case .int32(let r):
      return isUnsigned(element)
        ? extremes(r, { UInt32(bitPattern: $0) }, { String(UInt32(bitPattern: $0)) })
        : extremes(r, { $0 }, { String($0) })
    case .int64(let r):
      return isUnsigned(element)
        ? extremes(r, { UInt64(bitPattern: $0) }, { String(UInt64(bitPattern: $0)) })
        : extremes(r, { $0 }, { String($0) })
    case .float(let r):
      let (min, max, nulls) = extremes(
        r, { $0.isNaN ? nil : $0 }, { littleEndianHex(($0 == 0 ? 0 : $0).bitPattern) })
      return (
        min == littleEndianHex(Float(0).bitPattern) ? littleEndianHex(Float(-0.0).bitPattern) : min, max,
        nulls
      )
    case .double(let r):
      let (min, max, nulls) = extremes(
        r, { $0.isNaN ? nil : $0 }, { littleEndianHex(($0 == 0 ? 0 : $0).bitPattern) })
      return (
        min == littleEndianHex(Double(0).bitPattern) ? littleEndianHex(Double(-0.0).bitPattern) : min, max,
        nulls
      )
    case .int96(let r): return (nil, nil, rows.count - r[rows].compactMap { $0 }.count)
    case .bytes(let r):
      if isDecimal(element) { return extremes(r, { bigEndianInteger($0) }, { renderBytes($0, element) }) }
      if element.logicalType == .float16 {
        let half = { (b: [UInt8]) in Float(Float16(bitPattern: UInt16(b[0]) | UInt16(b[1]) << 8)) }
        let (min, max, nulls) = extremes(
          r, { half($0).isNaN ? nil : half($0) }, { b in half(b) == 0 ? "0000" : hex(b) })
        return (min == "0000" ? "0080" : min, max, nulls)
      }
      return extremes(r, { LexicographicBytes(bytes: $0) }, { renderBytes($0, element) })
    }
  }
}

struct LexicographicBytes: Comparable {
  let bytes: [UInt8]
  static func < (a: Self, b: Self) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
