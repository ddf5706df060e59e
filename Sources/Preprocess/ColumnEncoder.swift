// Encodes one column of a table by its semantic type (docs/format.md, "Table files"):
//   Numerical  -> f32 z-score (column mean and standard deviation; non-finite values become null; a constant
//                 column becomes all zeros). Stored unclipped so values decode back; heavy tails are the model's
//                 business (its value encoder clamps z-scores).
//   Timestamp  -> the exact i64 µs; the database-wide z-scored time is computed while the file is written
//                 (TableFileWriter), a block of rows at a time; the cyclic features are the sampler's
//   Boolean    -> u8 0/1
//   Categorical, Text -> column-local value ids, mapped to the shared vocabulary when tables are merged
//   Identifier -> validity only
// Every column also gets a validity bitmap (LSB first, set = value present).
import DatabaseSpec
import Parquet
import Store

struct EncodedColumn: Sendable {
  enum Payload: Sendable {
    case none
    case numbers([Float])
    case timestamps(micros: [Int64])
    case booleans([UInt8])
    /// Row -> index into `values` (-1 for null); merged into the shared vocabulary later.
    case values(localIds: [Int32], values: [String])
  }

  var spec: ColumnSpec
  var validity: [UInt8]
  var nullCount: Int
  var payload: Payload
  var statistics: ColumnStatistics?
}

enum ColumnEncoder {
  static func encode(_ column: ColumnData, spec: ColumnSpec) throws(CellConversion.Mismatch) -> EncodedColumn
  {
    var validity = validityBytes(column)
    var nullCount = column.nullCount
    let payload: EncodedColumn.Payload
    var statistics: ColumnStatistics?
    switch spec.type {
    case .identifier, .ignored:
      payload = .none
    case .numerical:
      let (numbers, stats) = try encodeNumbers(column, validity: &validity, nullCount: &nullCount)
      payload = .numbers(numbers)
      statistics = stats
    case .timestamp:
      payload = .timestamps(micros: try CellConversion.micros(column))
    case .boolean:
      payload = .booleans(try CellConversion.booleans(column).map { $0 ? 1 : 0 })
    case .categorical, .text:
      payload = try encodeValues(column, validity: validity)
    }
    return EncodedColumn(
      spec: spec, validity: validity, nullCount: nullCount, payload: payload, statistics: statistics)
  }

  static func validityBytes(_ column: ColumnData) -> [UInt8] {
    let byteCount = (column.count + 7) / 8
    guard let bitmap = column.validity else {
      var bytes = [UInt8](repeating: 0xFF, count: byteCount)
      if column.count % 8 != 0, !bytes.isEmpty { bytes[byteCount - 1] = UInt8((1 << (column.count % 8)) - 1) }
      return bytes
    }
    var bytes = [UInt8](repeating: 0, count: byteCount)
    bitmap.words.withUnsafeBytes { words in
      bytes.withUnsafeMutableBytes {
        $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: words[0..<byteCount]))
      }
    }
    return bytes
  }

  static func isValid(_ validity: [UInt8], _ row: Int) -> Bool {
    validity[row >> 3] & (1 << UInt8(row & 7)) != 0
  }

  private static func encodeNumbers(_ column: ColumnData, validity: inout [UInt8], nullCount: inout Int)
    throws(CellConversion.Mismatch) -> ([Float], ColumnStatistics)
  {
    let values = try CellConversion.numbers(column)
    var statistics = ColumnStatistics()
    statistics.nullCount = nullCount
    for row in values.indices where isValid(validity, row) {
      statistics.add(values[row])
      if !values[row].isFinite {
        validity[row >> 3] &= ~(1 << UInt8(row & 7))
        nullCount += 1
      }
    }
    let out = values.indices.map { row -> Float in
      guard isValid(validity, row) else { return 0 }
      return Float(statistics.zScore(values[row]))
    }
    return (out, statistics)
  }

  private static func encodeValues(_ column: ColumnData, validity: [UInt8]) throws(CellConversion.Mismatch)
    -> EncodedColumn.Payload
  {
    switch column.values {
    case .byteArray(let values):
      let (ids, distinct) = ValueInterner.intern(values, valid: { isValid(validity, $0) })
      return .values(localIds: ids, values: distinct)
    case .int64(let values) where column.descriptor.logicalType == nil:
      let (ids, distinct) = ValueInterner.intern(values, valid: { isValid(validity, $0) })
      return .values(localIds: ids, values: distinct.map(String.init))
    case .int32(let values) where column.descriptor.logicalType == nil:
      let (ids, distinct) = ValueInterner.intern(values.map(Int64.init), valid: { isValid(validity, $0) })
      return .values(localIds: ids, values: distinct.map(String.init))
    default:
      let strings = try CellConversion.strings(column)
      var ids = [Int32](repeating: -1, count: strings.count)
      var localIds: [String: Int32] = [:]
      var values: [String] = []
      for row in strings.indices where isValid(validity, row) {
        if let id = localIds[strings[row]] {
          ids[row] = id
        } else {
          ids[row] = Int32(values.count)
          localIds[strings[row]] = Int32(values.count)
          values.append(strings[row])
        }
      }
      return .values(localIds: ids, values: values)
    }
  }
}
