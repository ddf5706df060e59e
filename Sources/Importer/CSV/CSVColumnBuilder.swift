// Turns one column of a chunk of CSV records (byte ranges) into a typed `ColumnData` for the Parquet writer, once
// per column per chunk (the type switch is outside the row loop). The column's type comes from the inference pass,
// so every value fits; one that does not (the file changed between passes) is an error naming the row.
import Parquet

struct CSVChunkColumn {
  /// Per row: field range; `start < 0` marks a range in the scratch buffer at `-start - 1`.
  var starts: [Int] = []
  var ends: [Int] = []

  mutating func removeAll() {
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
  }
}

enum CSVColumnBuilder {
  static func schemaElement(name: String, type: CSVType, zoned: Bool) -> SchemaElement {
    switch type {
    case .boolean: return .leaf(name, .boolean, optional: true)
    case .integer: return .leaf(name, .int64, optional: true)
    case .float: return .leaf(name, .double, optional: true)
    case .date: return .leaf(name, .int32, optional: true, logicalType: .date)
    case .timestamp:
      return .leaf(
        name, .int64, optional: true, logicalType: .timestamp(isAdjustedToUTC: zoned, unit: .micros))
    case .string: return .leaf(name, .byteArray, optional: true, logicalType: .string)
    }
  }

  /// Converts one chunk column; the type comes from the inference pass (or the source's catalog).
  static func build(
    _ column: CSVChunkColumn, type: CSVType, element: SchemaElement, input: UnsafeBufferPointer<UInt8>,
    scratch: UnsafeBufferPointer<UInt8>, firstLine: [Int], file: String
  ) throws(CSVError) -> ColumnData {
    var validity = Bitmap()
    var number: [CChar] = []
    let values: ColumnValues
    let fields = Fields(column: column, input: input, scratch: scratch)
    func fail(_ row: Int) -> CSVError {
      CSVError(
        file: file, line: firstLine[row],
        message:
          "column '\(element.name)': '\(String(decoding: fields.bytes(row), as: UTF8.self))' is not a \(type.rawValue)"
      )
    }
    switch type {
    case .integer: values = .int64(try fields.parse(0, &validity, fail) { CSVValues.integer($0) })
    case .float:
      values = .double(try fields.parse(0, &validity, fail) { CSVValues.float($0, buffer: &number) })
    case .boolean:
      values = .boolean(
        try fields.parse(false, &validity, fail) { CSVValues.boolean($0) })
    case .date:
      values = .int32(try fields.parse(0, &validity, fail) { $0.count == 10 ? CSVValues.date($0) : nil })
    case .timestamp:
      values = .int64(
        try fields.parse(0, &validity, fail) { v in
          if v.count == 10, let days = CSVValues.date(v) { return Int64(days) * 86_400_000_000 }
          return CSVValues.timestamp(v)?.micros
        })
    case .string: values = .byteArray(fields.strings(&validity))
    }
    let descriptor = ColumnDescriptor(
      index: 0, path: [element.name], element: element, maxDefinitionLevel: 1, maxRepetitionLevel: 0)
    let rows = column.starts.count
    return ColumnData(
      descriptor: descriptor, values: values, validity: validity.setCount == rows ? nil : validity)
  }
}

/// The fields of one chunk column: byte ranges into the input, or (negative starts) into the scratch buffer.
private struct Fields {
  let column: CSVChunkColumn
  let input: UnsafeBufferPointer<UInt8>
  let scratch: UnsafeBufferPointer<UInt8>

  func bytes(_ row: Int) -> UnsafeBufferPointer<UInt8> {
    column.starts.withUnsafeBufferPointer { starts in
      column.ends.withUnsafeBufferPointer { ends in slice(starts[row], ends[row]) }
    }
  }

  private func slice(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
    start < 0
      ? UnsafeBufferPointer(rebasing: scratch[(-start - 1)..<end])
      : UnsafeBufferPointer(rebasing: input[start..<end])
  }

  /// Parses every non-empty field; an empty field is null (`zero` in the dense values).
  func parse<T>(
    _ zero: T, _ validity: inout Bitmap, _ fail: (Int) -> CSVError,
    _ parse: (UnsafeBufferPointer<UInt8>) -> T?
  ) throws(CSVError) -> [T] {
    let rows = column.starts.count
    var out = [T](repeating: zero, count: rows)
    var failedRow: Int?
    column.starts.withUnsafeBufferPointer { starts in
      column.ends.withUnsafeBufferPointer { ends in
        out.withUnsafeMutableBufferPointer { out in
          for row in 0..<rows {
            let v = slice(starts[row], ends[row])
            validity.append(!v.isEmpty)
            if v.isEmpty { continue }
            guard let parsed = parse(v) else {
              failedRow = row
              return
            }
            out[row] = parsed
          }
        }
      }
    }
    if let failedRow { throw fail(failedRow) }
    return out
  }

  func strings(_ validity: inout Bitmap) -> ByteArrayValues {
    let rows = column.starts.count
    var offsets = [Int](repeating: 0, count: rows + 1)
    var data: [UInt8] = []
    column.starts.withUnsafeBufferPointer { starts in
      column.ends.withUnsafeBufferPointer { ends in
        var total = 0
        for row in 0..<rows { total += slice(starts[row], ends[row]).count }
        data.reserveCapacity(total)
        for row in 0..<rows {
          let v = slice(starts[row], ends[row])
          validity.append(!v.isEmpty)
          data.append(contentsOf: v)
          offsets[row + 1] = data.count
        }
      }
    }
    return ByteArrayValues(offsets: offsets, data: data)
  }
}
