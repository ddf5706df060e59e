// Thrift compact protocol writer, the mirror of `CompactReader` for what parquet.thrift needs: structs (with
// delta-encoded field ids), lists, i8/i16/i32/i64, bool, binary and string. Appends to an in-memory buffer.
// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
// It refuses nothing (it writes what it is given) and does not write maps, sets or doubles (parquet.thrift
// metadata has none that this writer emits).

/// A value that writes its fields (not the surrounding struct begin/stop) to a compact-protocol writer.
protocol ThriftEncodable {
  func encode(to writer: inout CompactWriter)
}

/// Appends compact-protocol values to `bytes`.
struct CompactWriter {
  private(set) var bytes: [UInt8] = []
  private var lastFieldId: Int16 = 0
  private var enclosingFieldIds: [Int16] = []

  init() {}

  // MARK: Scalars

  mutating func writeVarint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(truncatingIfNeeded: rest))
  }

  mutating func writeZigzag(_ value: Int64) {
    writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
  }

  mutating func writeBinary(_ value: some Collection<UInt8>) {
    writeVarint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  // MARK: Structure

  mutating func writeFieldHeader(_ id: Int16, _ type: CompactType) {
    let delta = Int(id) - Int(lastFieldId)
    if delta > 0 && delta <= 15 {
      bytes.append(UInt8(delta) << 4 | type.rawValue)
    } else {
      bytes.append(type.rawValue)
      writeZigzag(Int64(id))
    }
    lastFieldId = id
  }

  mutating func writeListHeader(_ type: CompactType, count: Int) {
    if count < 15 {
      bytes.append(UInt8(count) << 4 | type.rawValue)
    } else {
      bytes.append(0xF0 | type.rawValue)
      writeVarint(UInt64(count))
    }
  }

  /// Writes a whole struct: its fields (by `value.encode`) then the STOP byte.
  mutating func writeStruct(_ value: some ThriftEncodable) {
    enclosingFieldIds.append(lastFieldId)
    lastFieldId = 0
    value.encode(to: &self)
    bytes.append(CompactType.stop.rawValue)
    lastFieldId = enclosingFieldIds.popLast() ?? 0
  }

  // MARK: Fields

  mutating func field(_ id: Int16, i8 value: Int8) {
    writeFieldHeader(id, .byte)
    bytes.append(UInt8(bitPattern: value))
  }

  mutating func field(_ id: Int16, i16 value: Int16) {
    writeFieldHeader(id, .i16)
    writeZigzag(Int64(value))
  }

  mutating func field(_ id: Int16, i32 value: Int32) {
    writeFieldHeader(id, .i32)
    writeZigzag(Int64(value))
  }

  mutating func field(_ id: Int16, i64 value: Int64) {
    writeFieldHeader(id, .i64)
    writeZigzag(value)
  }

  /// Booleans carry their value in the field header's type.
  mutating func field(_ id: Int16, bool value: Bool) {
    writeFieldHeader(id, value ? .boolTrue : .boolFalse)
  }

  mutating func field(_ id: Int16, binary value: [UInt8]) {
    writeFieldHeader(id, .binary)
    writeBinary(value)
  }

  mutating func field(_ id: Int16, string value: String) {
    writeFieldHeader(id, .binary)
    writeBinary(value.utf8)
  }

  mutating func field(_ id: Int16, struct value: some ThriftEncodable) {
    writeFieldHeader(id, .structure)
    writeStruct(value)
  }

  /// An empty struct (parquet.thrift's marker types: `StringType`, `MilliSeconds`, ...).
  mutating func field(_ id: Int16, emptyStruct: Void) {
    writeFieldHeader(id, .structure)
    bytes.append(CompactType.stop.rawValue)
  }

  mutating func field<T: ThriftEncodable>(_ id: Int16, structs values: [T]) {
    writeFieldHeader(id, .list)
    writeListHeader(.structure, count: values.count)
    for value in values { writeStruct(value) }
  }

  mutating func field(_ id: Int16, i32s values: [Int32]) {
    writeFieldHeader(id, .list)
    writeListHeader(.i32, count: values.count)
    for value in values { writeZigzag(Int64(value)) }
  }

  mutating func field(_ id: Int16, strings values: [String]) {
    writeFieldHeader(id, .list)
    writeListHeader(.binary, count: values.count)
    for value in values { writeBinary(value.utf8) }
  }
}

/// Encodes one struct to its compact-protocol bytes.
func thriftBytes(_ value: some ThriftEncodable) -> [UInt8] {
  var writer = CompactWriter()
  writer.writeStruct(value)
  return writer.bytes
}
