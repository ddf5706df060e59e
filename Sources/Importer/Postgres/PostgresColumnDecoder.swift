// One column of a chunk of PostgreSQL rows: the binary values as received, appended back to back (one copy per
// cell, no type dispatch while receiving), then decoded column by column into the typed values the Parquet writer
// takes. The type switch sits outside the row loop, and the columns of a chunk decode in parallel.
// Refuses (error naming table, column and row): a value of the wrong width for its type, infinite dates and
// timestamps (Parquet has no infinity), numerics that do not fit the column's DECIMAL.
import NIOCore
import Parquet

struct PostgresChunkColumn {
  /// The binary values, back to back; a null adds no bytes.
  var bytes: [UInt8] = []
  /// offsets[row]..<offsets[row + 1] is the row's value.
  var offsets: [Int] = [0]
  var validity = Bitmap()

  mutating func append(_ cell: ByteBuffer?) {
    if let cell { cell.withUnsafeReadableBytes { bytes.append(contentsOf: $0) } }
    offsets.append(bytes.count)
    validity.append(cell != nil)
  }

  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    offsets.removeAll(keepingCapacity: true)
    offsets.append(0)
    validity = Bitmap()
  }

  var rows: Int { offsets.count - 1 }
}

/// Where a chunk sits, for errors.
struct PostgresChunkPlace {
  var table: String
  var column: String
  var firstRow: Int

  func error(_ row: Int, _ message: String) -> ImportError {
    ImportError("PostgreSQL table '\(table)', column '\(column)', row \(firstRow + row + 1): \(message)")
  }
}

enum PostgresColumnDecoder {
  /// Microseconds and days from 2000-01-01 (PostgreSQL's epoch) to 1970-01-01.
  static let epochShiftMicros: Int64 = 946_684_800_000_000
  static let epochShiftDays: Int32 = 10_957

  static func decode(
    _ column: PostgresChunkColumn, type: PostgresColumnType, element: SchemaElement, place: PostgresChunkPlace
  ) throws(ImportError) -> ColumnData {
    let values: ColumnValues
    switch type {
    case .text, .printed:
      values = .byteArray(ByteArrayValues(offsets: column.offsets, data: column.bytes))
    case .decimal(let precision, let scale):
      values = try decimals(column, precision: precision, scale: scale, place: place)
    default: values = try fixedWidth(column, type: type, place: place)
    }
    let descriptor = ColumnDescriptor(
      index: 0, path: [element.name], element: element, maxDefinitionLevel: 1, maxRepetitionLevel: 0)
    let validity = column.validity.setCount == column.rows ? nil : column.validity
    return ColumnData(descriptor: descriptor, values: values, validity: validity)
  }

  static func fixedWidth(_ column: PostgresChunkColumn, type: PostgresColumnType, place: PostgresChunkPlace)
    throws(ImportError) -> ColumnValues
  {
    let width = type.binaryWidth ?? 0
    switch type {
    case .int16: return .int64(try map(column, 0, width, place) { Int64(load(Int16.self, $0, $1)) })
    case .int32: return .int64(try map(column, 0, width, place) { Int64(load(Int32.self, $0, $1)) })
    case .oid: return .int64(try map(column, 0, width, place) { Int64(load(UInt32.self, $0, $1)) })
    case .int64: return .int64(try map(column, 0, width, place) { load(Int64.self, $0, $1) })
    case .float32:
      return .double(
        try map(column, 0, width, place) { Double(Float(bitPattern: load(UInt32.self, $0, $1))) })
    case .float64, .numericAsDouble:
      return .double(try map(column, 0, width, place) { Double(bitPattern: load(UInt64.self, $0, $1)) })
    case .boolean: return .boolean(try map(column, false, width, place) { $0[$1] != 0 })
    case .date: return .int32(try map(column, 0, width, place) { days(load(Int32.self, $0, $1)) })
    case .timestamp: return .int64(try map(column, 0, width, place) { micros(load(Int64.self, $0, $1)) })
    case .decimal, .text, .printed: throw place.error(0, "\(type) is not a fixed-width type")
    }
  }

  /// Days since 1970-01-01; nil for ±infinity (Int32.max / Int32.min).
  static func days(_ sinceMillennium: Int32) -> Int32? {
    guard sinceMillennium != .max, sinceMillennium != .min else { return nil }
    let (days, overflow) = sinceMillennium.addingReportingOverflow(epochShiftDays)
    return overflow ? nil : days
  }

  /// µs since 1970-01-01; nil for ±infinity (Int64.max / Int64.min).
  static func micros(_ sinceMillennium: Int64) -> Int64? {
    guard sinceMillennium != .max, sinceMillennium != .min else { return nil }
    let (micros, overflow) = sinceMillennium.addingReportingOverflow(epochShiftMicros)
    return overflow ? nil : micros
  }

  @inline(__always)
  static func load<T: FixedWidthInteger>(_ type: T.Type, _ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T
  {
    T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
  }

  /// Decodes every non-null value of `width` bytes (nulls are `zero`); `convert` gets the chunk's bytes and the
  /// value's offset and returns nil for a value the column cannot hold.
  static func map<T>(
    _ column: PostgresChunkColumn, _ zero: T, _ width: Int, _ place: PostgresChunkPlace,
    _ convert: (UnsafeRawBufferPointer, Int) -> T?
  ) throws(ImportError) -> [T] {
    let rows = column.rows
    var out = [T](repeating: zero, count: rows)
    var failure: (row: Int, found: Int)?
    column.bytes.withUnsafeBytes { bytes in
      column.offsets.withUnsafeBufferPointer { offsets in
        out.withUnsafeMutableBufferPointer { out in
          for row in 0..<rows where column.validity[row] {
            let start = offsets[row]
            guard offsets[row + 1] - start == width, let value = convert(bytes, start) else {
              failure = (row, offsets[row + 1] - start)
              return
            }
            out[row] = value
          }
        }
      }
    }
    if let failure {
      throw place.error(
        failure.row,
        failure.found == width
          ? "an infinite or out-of-range value (Parquet has no infinity)"
          : "expected \(width) bytes, found \(failure.found)")
    }
    return out
  }
}
