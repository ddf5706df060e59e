// The canonical text of a cell (shared by `tributary parquet cat --format jsonl` and the test expectations made
// by tools/parquet_expect.py): JSON literals, see docs/parquet.md. The per-type choice is made once per column;
// rendering a cell is then one closure call.

/// Renders the cells of one column as canonical JSON values ("null" for nulls).
public struct CanonicalRenderer: Sendable {
  private let column: ColumnData
  private let renderValue: @Sendable (Int) -> String

  public init(_ column: ColumnData) {
    self.column = column
    self.renderValue = Self.chooseRenderer(column)
  }

  /// The canonical JSON text of row `index`.
  public func render(_ index: Int) -> String {
    column.isNull(index) ? "null" : renderValue(index)
  }

  /// The value as plain text for CSV: strings unquoted, everything else as in JSON, nulls empty.
  public func renderPlain(_ index: Int) -> String {
    if column.isNull(index) { return "" }
    let text = renderValue(index)
    guard text.hasPrefix("\"") else { return text }
    return unquoteJSON(text)
  }

  private static func chooseRenderer(_ column: ColumnData) -> @Sendable (Int) -> String {
    let interpretation = column.descriptor.interpretation
    switch column.values {
    case .boolean(let v): return { v[$0] ? "true" : "false" }
    case .int32(let v): return int32Renderer(v, interpretation)
    case .int64(let v): return int64Renderer(v, interpretation)
    case .int96(let v):
      return { "\"" + CivilTime.timestamp(micros: CivilTime.micros(v[$0]), utc: true) + "\"" }
    case .float(let v): return { TextFormats.number(Double(v[$0])) }
    case .double(let v): return { TextFormats.number(v[$0]) }
    case .byteArray(let v): return bytesRenderer({ v[$0] }, interpretation)
    case .fixedLenByteArray(let v): return bytesRenderer({ v[$0] }, interpretation)
    }
  }

  private static func int32Renderer(_ v: [Int32], _ interpretation: Interpretation)
    -> @Sendable (Int) -> String
  {
    switch interpretation {
    case .unsignedInteger: return { String(UInt32(bitPattern: v[$0])) }
    case .date: return { "\"" + CivilTime.date(days: Int64(v[$0])) + "\"" }
    case .time(let unit):
      return { "\"" + CivilTime.timeOfDay(micros: CivilTime.micros(Int64(v[$0]), unit: unit)) + "\"" }
    case .decimal(let scale, _): return { "\"" + TextFormats.decimal(Int64(v[$0]), scale: scale) + "\"" }
    default: return { String(v[$0]) }
    }
  }

  private static func int64Renderer(_ v: [Int64], _ interpretation: Interpretation)
    -> @Sendable (Int) -> String
  {
    switch interpretation {
    case .unsignedInteger: return { String(UInt64(bitPattern: v[$0])) }
    case .timestamp(let unit, let utc):
      return { "\"" + CivilTime.timestamp(micros: CivilTime.micros(v[$0], unit: unit), utc: utc) + "\"" }
    case .time(let unit):
      return { "\"" + CivilTime.timeOfDay(micros: CivilTime.micros(v[$0], unit: unit)) + "\"" }
    case .decimal(let scale, _): return { "\"" + TextFormats.decimal(v[$0], scale: scale) + "\"" }
    default: return { String(v[$0]) }
    }
  }

  private static func bytesRenderer(
    _ value: @escaping @Sendable (Int) -> ArraySlice<UInt8>, _ interpretation: Interpretation
  ) -> @Sendable (Int) -> String {
    switch interpretation {
    case .string: return { TextFormats.jsonString(value($0)) }
    case .uuid: return { "\"" + TextFormats.uuid(value($0)) + "\"" }
    case .float16:
      return { index in
        let bytes = value(index)
        guard bytes.count == 2 else { return "null" }
        return TextFormats.number(TextFormats.float16(bytes[bytes.startIndex], bytes[bytes.startIndex + 1]))
      }
    case .decimal(let scale, _):
      return { index in
        let (digits, negative) = TextFormats.bigEndianDigits(value(index))
        return "\"" + TextFormats.decimal(digits: digits, negative: negative, scale: scale) + "\""
      }
    default: return { "\"" + TextFormats.base64(value($0)) + "\"" }
    }
  }

  /// Undoes `TextFormats.jsonString`'s escaping.
  private func unquoteJSON(_ text: String) -> String {
    var out = ""
    var scalars = text.unicodeScalars.dropFirst().dropLast().makeIterator()
    while let c = scalars.next() {
      guard c == "\\", let e = scalars.next() else {
        out.unicodeScalars.append(c)
        continue
      }
      switch e {
      case "n": out += "\n"
      case "r": out += "\r"
      case "t": out += "\t"
      case "b": out += "\u{08}"
      case "f": out += "\u{0C}"
      case "u":
        var hex = ""
        for _ in 0..<4 { if let h = scalars.next() { hex.unicodeScalars.append(h) } }
        if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
          out.unicodeScalars.append(scalar)
        }
      default: out.unicodeScalars.append(e)
      }
    }
    return out
  }
}
