// Thrift compact protocol reader, just enough for parquet.thrift: structs, lists, maps, scalars, binary.
// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
//
//   field header := (delta:4 bits << 4 | type:4 bits) [zigzag-varint i16 field id, when delta == 0]
//   list header  := (size:4 bits << 4 | elem type:4 bits) [varint size, when size nibble == 15]
//   map header   := varint size [key type:4 << 4 | value type:4, when size > 0]
//   i16/i32/i64  := zigzag varint; double := 8 bytes little-endian; binary := varint length, bytes
//
// Unknown fields are skipped; nesting is bounded (`maxDepth`); every length is checked against the bytes left.
// It refuses anything else: no writing, no sets of structs beyond skipping, no other Thrift protocols.

/// Compact-protocol wire types.
enum CompactType: UInt8 {
  case stop = 0
  case boolTrue = 1
  case boolFalse = 2
  case byte = 3
  case i16 = 4
  case i32 = 5
  case i64 = 6
  case double = 7
  case binary = 8
  case list = 9
  case set = 10
  case map = 11
  case structure = 12
}

/// A field header: its id and wire type (booleans carry their value in the type).
struct FieldHeader {
  let id: Int16
  let type: CompactType
}

/// Reads compact-protocol values from a byte buffer that outlives the reader (callers scope it in a closure).
struct CompactReader {
  static let maxDepth = 64
  let bytes: UnsafeRawBufferPointer
  private(set) var position: Int = 0
  private var depth = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  var remaining: Int { bytes.count - position }

  func error(_ message: String) -> ParquetError {
    ParquetError(.corruptMetadata, "thrift: \(message)", offset: position)
  }

  mutating func readByte() throws(ParquetError) -> UInt8 {
    guard position < bytes.count else {
      throw ParquetError(.truncated, "thrift: unexpected end", offset: position)
    }
    let byte = bytes[position]
    position += 1
    return byte
  }

  mutating func readVarint() throws(ParquetError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let byte = try readByte()
      guard shift < 64 else { throw error("varint longer than 10 bytes") }
      result |= UInt64(byte & 0x7f) << shift
      if byte & 0x80 == 0 { return result }
      shift += 7
    }
  }

  mutating func readZigzag() throws(ParquetError) -> Int64 {
    let raw = try readVarint()
    return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
  }

  mutating func readI64() throws(ParquetError) -> Int64 { try readZigzag() }

  mutating func readI32() throws(ParquetError) -> Int32 {
    let value = try readZigzag()
    guard let narrow = Int32(exactly: value) else { throw error("i32 out of range: \(value)") }
    return narrow
  }

  mutating func readI16() throws(ParquetError) -> Int16 {
    let value = try readZigzag()
    guard let narrow = Int16(exactly: value) else { throw error("i16 out of range: \(value)") }
    return narrow
  }

  mutating func readI8() throws(ParquetError) -> Int8 { Int8(bitPattern: try readByte()) }

  mutating func readDouble() throws(ParquetError) -> Double {
    guard remaining >= 8 else { throw ParquetError(.truncated, "thrift: double past end", offset: position) }
    let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
    position += 8
    return Double(bitPattern: UInt64(littleEndian: bits))
  }

  mutating func readLength() throws(ParquetError) -> Int {
    let raw = try readVarint()
    guard raw <= UInt64(remaining) else {
      throw ParquetError(
        .truncated, "thrift: length \(raw) exceeds the \(remaining) bytes left", offset: position)
    }
    return Int(raw)
  }

  mutating func readBinary() throws(ParquetError) -> [UInt8] {
    let count = try readLength()
    let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    position += count
    return Array(slice)
  }

  mutating func readString() throws(ParquetError) -> String {
    let count = try readLength()
    let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    position += count
    return String(decoding: slice, as: UTF8.self)
  }

  /// Reads a list header; returns the element type and count (count checked against the bytes left).
  mutating func readListHeader() throws(ParquetError) -> (type: CompactType, count: Int) {
    let header = try readByte()
    guard let type = CompactType(rawValue: header & 0x0f) else {
      throw error("bad list element type \(header)")
    }
    var count = Int(header >> 4)
    if count == 15 {
      let raw = try readVarint()
      guard raw <= UInt64(remaining) else { throw error("list of \(raw) elements exceeds the bytes left") }
      count = Int(raw)
    }
    return (type, count)
  }

  /// Enters a struct (bounded nesting); pair with `leaveStruct`.
  mutating func enterStruct() throws(ParquetError) {
    depth += 1
    guard depth <= Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth)") }
  }

  mutating func leaveStruct() { depth -= 1 }

  /// Reads the next field header of the current struct; nil at its STOP marker.
  mutating func readFieldHeader(lastId: inout Int16) throws(ParquetError) -> FieldHeader? {
    let byte = try readByte()
    guard let type = CompactType(rawValue: byte & 0x0f) else { throw error("bad field type \(byte & 0x0f)") }
    if type == .stop { return nil }
    let delta = Int16(byte >> 4)
    let id: Int16
    if delta == 0 { id = try readI16() } else { id = lastId &+ delta }
    lastId = id
    return FieldHeader(id: id, type: type)
  }

  /// Reads a struct: `field` is called for each field header and must consume (or `skip`) its value.
  mutating func readStruct(
    _ field: (inout CompactReader, FieldHeader) throws(ParquetError) -> Void
  ) throws(ParquetError) {
    try enterStruct()
    var lastId: Int16 = 0
    while let header = try readFieldHeader(lastId: &lastId) {
      try field(&self, header)
    }
    leaveStruct()
  }

  /// Reads a list whose elements are read by `element`.
  mutating func readList<T>(
    _ element: (inout CompactReader, CompactType) throws(ParquetError) -> T
  ) throws(ParquetError) -> [T] {
    let (type, count) = try readListHeader()
    var result: [T] = []
    result.reserveCapacity(count)
    for _ in 0..<count { result.append(try element(&self, type)) }
    return result
  }

  /// Skips one value of the given type, recursing into containers (bounded depth).
  mutating func skip(_ type: CompactType) throws(ParquetError) {
    switch type {
    case .stop: throw error("unexpected STOP")
    case .boolTrue, .boolFalse: return
    case .byte: _ = try readByte()
    case .i16, .i32, .i64: _ = try readVarint()
    case .double: _ = try readDouble()
    case .binary: position += try readLength()
    case .list, .set:
      let (elementType, count) = try readListHeader()
      try skipElements(elementType, count: count)
    case .map: try skipMap()
    case .structure:
      try enterStruct()
      var lastId: Int16 = 0
      while let header = try readFieldHeader(lastId: &lastId) { try skip(header.type) }
      leaveStruct()
    }
  }

  private mutating func skipElements(_ type: CompactType, count: Int) throws(ParquetError) {
    try enterStruct()
    for _ in 0..<count {
      // In containers, booleans take one byte each.
      if type == .boolTrue || type == .boolFalse { _ = try readByte() } else { try skip(type) }
    }
    leaveStruct()
  }

  private mutating func skipMap() throws(ParquetError) {
    let raw = try readVarint()
    guard raw <= UInt64(remaining) else { throw error("map of \(raw) entries exceeds the bytes left") }
    if raw == 0 { return }
    let types = try readByte()
    guard let keyType = CompactType(rawValue: types >> 4), let valueType = CompactType(rawValue: types & 0x0f)
    else { throw error("bad map types \(types)") }
    try enterStruct()
    for _ in 0..<Int(raw) {
      try skipElements(keyType, count: 1)
      try skipElements(valueType, count: 1)
    }
    leaveStruct()
  }
}

// Typed field readers: each checks the wire type matches what parquet.thrift declares.
extension CompactReader {
  mutating func expect(_ header: FieldHeader, _ type: CompactType) throws(ParquetError) {
    guard header.type == type else {
      throw error("field \(header.id): expected \(type), found \(header.type)")
    }
  }

  mutating func i32(_ header: FieldHeader) throws(ParquetError) -> Int32 {
    try expect(header, .i32)
    return try readI32()
  }

  mutating func i64(_ header: FieldHeader) throws(ParquetError) -> Int64 {
    try expect(header, .i64)
    return try readI64()
  }

  mutating func i16(_ header: FieldHeader) throws(ParquetError) -> Int16 {
    try expect(header, .i16)
    return try readI16()
  }

  mutating func i8(_ header: FieldHeader) throws(ParquetError) -> Int8 {
    try expect(header, .byte)
    return try readI8()
  }

  func bool(_ header: FieldHeader) throws(ParquetError) -> Bool {
    switch header.type {
    case .boolTrue: return true
    case .boolFalse: return false
    default: throw error("field \(header.id): expected bool, found \(header.type)")
    }
  }

  mutating func binary(_ header: FieldHeader) throws(ParquetError) -> [UInt8] {
    try expect(header, .binary)
    return try readBinary()
  }

  mutating func string(_ header: FieldHeader) throws(ParquetError) -> String {
    try expect(header, .binary)
    return try readString()
  }

  mutating func list<T>(
    _ header: FieldHeader, _ element: (inout CompactReader, CompactType) throws(ParquetError) -> T
  ) throws(ParquetError) -> [T] {
    try expect(header, .list)
    return try readList(element)
  }

  /// Reads an i32-coded enum, mapping values the reader does not know through `make` (nil: an error).
  mutating func enumeration<E: RawRepresentable>(_ header: FieldHeader, _: E.Type) throws(ParquetError) -> E
  where E.RawValue == Int32 {
    let raw = try i32(header)
    guard let value = E(rawValue: raw) else { throw error("field \(header.id): unknown \(E.self) \(raw)") }
    return value
  }
}
