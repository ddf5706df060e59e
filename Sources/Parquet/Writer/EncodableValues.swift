// The writer's view of one column chunk: its non-null values, gathered contiguously per physical type, and its
// definition levels. Public inputs (`ColumnValues` with a validity bitmap) are converted to this once per
// row group; every encoder then works on contiguous buffers with no per-value dispatch.
// Byte strings and INT96 share the fixed-width layout (INT96 is 12 raw little-endian bytes).

/// Non-null values of one column chunk, one contiguous store per physical type.
enum EncodableValues: Sendable {
  case boolean([Bool])
  case int32([Int32])
  case int64([Int64])
  case float([Float])
  case double([Double])
  /// Value `i` is `data[offsets[i]..<offsets[i + 1]]`.
  case byteArray(offsets: [Int], data: [UInt8])
  /// FIXED_LEN_BYTE_ARRAY of `width` bytes, or INT96 (`width` 12).
  case fixedWidth(width: Int, data: [UInt8])

  var count: Int {
    switch self {
    case .boolean(let v): v.count
    case .int32(let v): v.count
    case .int64(let v): v.count
    case .float(let v): v.count
    case .double(let v): v.count
    case .byteArray(let offsets, _): offsets.count - 1
    case .fixedWidth(let width, let data): width == 0 ? 0 : data.count / width
    }
  }
}

/// One leaf column's data for one row group, ready to encode.
struct WriterColumnChunk: Sendable {
  var element: SchemaElement
  var values: EncodableValues
  /// One level per row (0: null, 1: a value) for optional columns; nil for required ones.
  var definitionLevels: [UInt8]?

  var rowCount: Int { definitionLevels?.count ?? values.count }
  var nullCount: Int { rowCount - values.count }
}

extension EncodableValues {
  /// Values `range` (a copy).
  func slice(_ range: Range<Int>) -> EncodableValues {
    switch self {
    case .boolean(let v): .boolean(Array(v[range]))
    case .int32(let v): .int32(Array(v[range]))
    case .int64(let v): .int64(Array(v[range]))
    case .float(let v): .float(Array(v[range]))
    case .double(let v): .double(Array(v[range]))
    case .fixedWidth(let width, let data):
      .fixedWidth(width: width, data: Array(data[(range.lowerBound * width)..<(range.upperBound * width)]))
    case .byteArray(let offsets, let data):
      .byteArray(
        offsets: offsets[range.lowerBound...range.upperBound].map { $0 - offsets[range.lowerBound] },
        data: Array(data[offsets[range.lowerBound]..<offsets[range.upperBound]]))
    }
  }
}

extension WriterColumnChunk {
  /// Rows `rows` of this chunk (a copy).
  func slice(rows: Range<Int>) -> WriterColumnChunk {
    guard let levels = definitionLevels else {
      return WriterColumnChunk(element: element, values: values.slice(rows), definitionLevels: nil)
    }
    let before = levels[..<rows.lowerBound].reduce(0) { $0 + Int($1) }
    let inside = levels[rows].reduce(0) { $0 + Int($1) }
    return WriterColumnChunk(
      element: element, values: values.slice(before..<(before + inside)),
      definitionLevels: Array(levels[rows]))
  }
}
