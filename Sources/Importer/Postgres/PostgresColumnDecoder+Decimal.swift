// numeric(p, s) columns of a chunk into DECIMAL(p, s) values: INT32 up to 9 digits, INT64 up to 18, big-endian
// two's-complement FIXED_LEN_BYTE_ARRAY(16) beyond (the widths pyarrow and Spark read).
// Refuses (error naming the row): NaN, and values that do not fit the declared precision and scale.
import Parquet

extension PostgresColumnDecoder {
  static func decimals(
    _ column: PostgresChunkColumn, precision: Int, scale: Int, place: PostgresChunkPlace
  ) throws(ImportError) -> ColumnValues {
    let unscaled = try unscaledValues(column, precision: precision, scale: scale, place: place)
    if precision <= 9 { return .int32(unscaled.map { Int32(truncatingIfNeeded: $0) }) }
    if precision <= 18 { return .int64(unscaled.map { Int64(truncatingIfNeeded: $0) }) }
    let width = PostgresNumeric.fixedWidth
    var data = [UInt8](repeating: 0, count: unscaled.count * width)
    data.withUnsafeMutableBytes { out in
      for (row, value) in unscaled.enumerated() {
        out.storeBytes(of: value.bigEndian, toByteOffset: row * width, as: Int128.self)
      }
    }
    return .fixedLenByteArray(FixedWidthValues(width: width, data: data))
  }

  /// The values as unscaled integers (0 for nulls); precision <= 38 makes every one fit Int128, and the narrower
  /// physical types whenever the precision is that small.
  static func unscaledValues(
    _ column: PostgresChunkColumn, precision: Int, scale: Int, place: PostgresChunkPlace
  ) throws(ImportError) -> [Int128] {
    let rows = column.rows
    var out = [Int128](repeating: 0, count: rows)
    var failedRow: Int?
    column.bytes.withUnsafeBytes { bytes in
      column.offsets.withUnsafeBufferPointer { offsets in
        for row in 0..<rows where column.validity[row] {
          let value = UnsafeRawBufferPointer(rebasing: bytes[offsets[row]..<offsets[row + 1]])
          guard let parsed = PostgresNumeric.unscaled(value, precision: precision, scale: scale) else {
            failedRow = row
            return
          }
          out[row] = parsed
        }
      }
    }
    if let failedRow {
      throw place.error(failedRow, "not a finite number that fits numeric(\(precision), \(scale))")
    }
    return out
  }
}
