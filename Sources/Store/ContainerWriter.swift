// Streams sections into a container file (see Container.swift): header placeholder, aligned sections, table of
// contents, then the real header; the file appears at its path only on `finish()` (AtomicFileWriter).
import FileSupport

public final class ContainerWriter {
  private let file: AtomicFileWriter
  private let kind: ContainerKind
  private var sections: [SectionInfo] = []
  private var names: Set<String> = []

  public init(path: String, kind: ContainerKind) throws {
    file = try AtomicFileWriter(path: path)
    self.kind = kind
    try file.write([UInt8](repeating: 0, count: ContainerLayout.headerSize))
  }

  public var path: String { file.destination }

  /// Appends a section of raw bytes; `bytes.count` must match `type` and `shape`.
  public func addSection(name: String, type: ElementType, shape: [Int], bytes: UnsafeRawBufferPointer) throws
  {
    // Checked before anything is written, so a refused section leaves no stray bytes behind.
    guard bytes.count == type.byteCount(shape: shape) else {
      throw StoreError.invalidSection(
        path: path, name: name,
        reason: "\(bytes.count) bytes for \(type) \(shape) (expected \(type.byteCount(shape: shape)))")
    }
    try addSection(name: name, type: type, shape: shape) { write in try write(bytes) }
  }

  /// Appends a section whose bytes `produce` hands, piece by piece and in order, to the function it is given:
  /// sections too large to build in memory are written as they are computed. The pieces must add up to the size
  /// of `type` and `shape`.
  public func addSection(
    name: String, type: ElementType, shape: [Int],
    produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
  ) throws {
    guard !name.isEmpty, name.utf8.count <= ContainerLayout.maxNameBytes, !names.contains(name) else {
      throw StoreError.invalidSection(path: path, name: name, reason: "empty, too long or duplicate name")
    }
    guard shape.count <= ContainerLayout.maxRank, shape.allSatisfy({ $0 >= 0 }) else {
      throw StoreError.invalidSection(path: path, name: name, reason: "shape \(shape) is not of rank <= 4")
    }
    try file.pad(toMultipleOf: ContainerLayout.alignment)
    let offset = file.bytesWritten
    try produce { try file.write($0) }
    let byteCount = file.bytesWritten - offset
    guard byteCount == type.byteCount(shape: shape) else {
      throw StoreError.invalidSection(
        path: path, name: name,
        reason: "\(byteCount) bytes for \(type) \(shape) (expected \(type.byteCount(shape: shape)))")
    }
    names.insert(name)
    sections.append(SectionInfo(name: name, type: type, shape: shape, offset: offset, byteCount: byteCount))
  }

  public func addSection<T: SectionElement>(name: String, shape: [Int]? = nil, values: [T]) throws {
    try values.withUnsafeBytes {
      try addSection(name: name, type: T.elementType, shape: shape ?? [values.count], bytes: $0)
    }
  }

  /// Validity bits for `count` elements, LSB first.
  public func addBitmap(name: String, count: Int, bits: [UInt8]) throws {
    try bits.withUnsafeBytes { try addSection(name: name, type: .bitmap, shape: [count], bytes: $0) }
  }

  /// Writes the table of contents and header and moves the file into place.
  public func finish() throws {
    try file.pad(toMultipleOf: ContainerLayout.alignment)
    let tocOffset = file.bytesWritten
    for section in sections { try file.write(Self.encode(section)) }
    let totalSize = file.bytesWritten
    var header = ContainerLayout.magic
    header.appendLittleEndian(ContainerLayout.version)
    header.appendLittleEndian(kind.rawValue)
    header.appendLittleEndian(UInt64(sections.count))
    header.appendLittleEndian(UInt64(tocOffset))
    header.appendLittleEndian(UInt64(totalSize))
    header += [UInt8](repeating: 0, count: ContainerLayout.headerSize - header.count)
    try file.overwrite(at: 0, header)
    try file.commit()
  }

  static func encode(_ section: SectionInfo) -> [UInt8] {
    var entry = Array(section.name.utf8)
    entry += [UInt8](repeating: 0, count: ContainerLayout.maxNameBytes - entry.count)
    entry.appendLittleEndian(section.type.rawValue)
    entry.appendLittleEndian(UInt32(section.shape.count))
    for axis in 0..<ContainerLayout.maxRank {
      entry.appendLittleEndian(UInt64(axis < section.shape.count ? section.shape[axis] : 0))
    }
    entry.appendLittleEndian(UInt64(section.offset))
    entry.appendLittleEndian(UInt64(section.byteCount))
    entry += [UInt8](repeating: 0, count: ContainerLayout.tocEntrySize - entry.count)
    return entry
  }
}

extension [UInt8] {
  mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
  }
}
