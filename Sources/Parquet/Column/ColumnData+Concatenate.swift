// Concatenating the chunks of one column (one per row group) into one `ColumnData`.

extension ColumnData {
  static func concatenate(_ parts: [ColumnData], descriptor: ColumnDescriptor) throws(ParquetError)
    -> ColumnData
  {
    if parts.count == 1, let only = parts.first { return only }
    let values = try concatenateValues(parts.map(\.values), descriptor: descriptor)
    var validity: Bitmap?
    if parts.contains(where: { $0.validity != nil }) {
      var bits = Bitmap()
      for part in parts {
        if let v = part.validity {
          bits.append(contentsOf: v)
        } else {
          bits.append(repeating: true, count: part.count)
        }
      }
      validity = bits
    }
    return ColumnData(descriptor: descriptor, values: values, validity: validity)
  }

  private static func concatenateValues(_ parts: [ColumnValues], descriptor: ColumnDescriptor)
    throws(ParquetError)
    -> ColumnValues
  {
    func all<T>(_ extract: (ColumnValues) -> [T]?) throws(ParquetError) -> [T] {
      var result: [T] = []
      for part in parts {
        guard let values = extract(part) else {
          throw ParquetError(.corruptPage, "chunks of different types")
        }
        result.append(contentsOf: values)
      }
      return result
    }
    switch descriptor.physicalType {
    case .boolean: return .boolean(try all { if case .boolean(let v) = $0 { v } else { nil } })
    case .int32: return .int32(try all { if case .int32(let v) = $0 { v } else { nil } })
    case .int64: return .int64(try all { if case .int64(let v) = $0 { v } else { nil } })
    case .int96: return .int96(try all { if case .int96(let v) = $0 { v } else { nil } })
    case .float: return .float(try all { if case .float(let v) = $0 { v } else { nil } })
    case .double: return .double(try all { if case .double(let v) = $0 { v } else { nil } })
    case .fixedLenByteArray:
      var data: [UInt8] = []
      for part in parts { if case .fixedLenByteArray(let v) = part { data.append(contentsOf: v.data) } }
      return .fixedLenByteArray(FixedWidthValues(width: descriptor.typeLength, data: data))
    case .byteArray:
      var result = ByteArrayValues()
      for part in parts {
        guard case .byteArray(let v) = part else { continue }
        let base = result.data.count
        result.data.append(contentsOf: v.data)
        result.offsets.append(contentsOf: v.offsets.dropFirst().map { $0 + base })
      }
      return .byteArray(result)
    }
  }
}
