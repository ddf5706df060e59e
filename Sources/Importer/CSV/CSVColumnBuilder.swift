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

  /// `value(row)` gives the field's bytes (valid only during the call).
  static func build(
    _ column: CSVChunkColumn, type: CSVType, element: SchemaElement, input: UnsafeBufferPointer<UInt8>,
    scratch: UnsafeBufferPointer<UInt8>, firstLine: [Int], file: String
  ) throws(CSVError) -> ColumnData {
    let rows = column.starts.count
    var validity = Bitmap()
    var number: [CChar] = []
    func bytes(_ row: Int) -> UnsafeBufferPointer<UInt8> {
      let start = column.starts[row]
      if start < 0 {
        let from = -start - 1
        return UnsafeBufferPointer(rebasing: scratch[from..<from + (column.ends[row] - from)])
      }
      return UnsafeBufferPointer(rebasing: input[start..<column.ends[row]])
    }
    func fail(_ row: Int) -> CSVError {
      CSVError(
        file: file, line: firstLine[row],
        message:
          "column '\(element.name)': '\(String(decoding: bytes(row), as: UTF8.self))' is not a \(type.rawValue)"
      )
    }
    let values: ColumnValues
    switch type {
    case .integer:
      var out = [Int64](repeating: 0, count: rows)
      for row in 0..<rows {
        let v = bytes(row)
        validity.append(!v.isEmpty)
        if v.isEmpty { continue }
        guard let parsed = CSVValues.integer(v) else { throw fail(row) }
        out[row] = parsed
      }
      values = .int64(out)
    case .float:
      var out = [Double](repeating: 0, count: rows)
      for row in 0..<rows {
        let v = bytes(row)
        validity.append(!v.isEmpty)
        if v.isEmpty { continue }
        guard let parsed = CSVValues.float(v, buffer: &number) else { throw fail(row) }
        out[row] = parsed
      }
      values = .double(out)
    case .boolean:
      var out = [Bool](repeating: false, count: rows)
      for row in 0..<rows {
        let v = bytes(row)
        validity.append(!v.isEmpty)
        if v.isEmpty { continue }
        // PostgreSQL's COPY writes booleans as t/f.
        let letter: Bool? =
          v.count == 1 ? (v[0] == UInt8(ascii: "t") ? true : v[0] == UInt8(ascii: "f") ? false : nil) : nil
        guard let parsed = CSVValues.boolean(v) ?? letter else { throw fail(row) }
        out[row] = parsed
      }
      values = .boolean(out)
    case .date:
      var out = [Int32](repeating: 0, count: rows)
      for row in 0..<rows {
        let v = bytes(row)
        validity.append(!v.isEmpty)
        if v.isEmpty { continue }
        guard v.count == 10, let parsed = CSVValues.date(v) else { throw fail(row) }
        out[row] = parsed
      }
      values = .int32(out)
    case .timestamp:
      var out = [Int64](repeating: 0, count: rows)
      for row in 0..<rows {
        let v = bytes(row)
        validity.append(!v.isEmpty)
        if v.isEmpty { continue }
        if v.count == 10, let days = CSVValues.date(v) {
          out[row] = Int64(days) * 86_400_000_000
        } else if let parsed = CSVValues.timestamp(v) {
          out[row] = parsed.micros
        } else {
          throw fail(row)
        }
      }
      values = .int64(out)
    case .string:
      var offsets = [Int](repeating: 0, count: rows + 1)
      var data: [UInt8] = []
      for row in 0..<rows {
        let v = bytes(row)
        validity.append(!v.isEmpty)
        data.append(contentsOf: v)
        offsets[row + 1] = data.count
      }
      values = .byteArray(ByteArrayValues(offsets: offsets, data: data))
    }
    let descriptor = ColumnDescriptor(
      index: 0, path: [element.name], element: element, maxDefinitionLevel: 1, maxRepetitionLevel: 0)
    return ColumnData(
      descriptor: descriptor, values: values, validity: validity.setCount == rows ? nil : validity)
  }
}
