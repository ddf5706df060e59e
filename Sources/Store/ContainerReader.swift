// Opens a container file (Container.swift) by memory-mapping it and checking its header and table of contents
// against the file's size; sections are then read zero-copy through typed buffer pointers.
import FileSupport

public final class ContainerReader: Sendable {
  public let path: String
  public let kind: ContainerKind
  public let sections: [String: SectionInfo]
  private let file: MemoryMappedFile

  public init(path: String, expecting expected: ContainerKind) throws {
    self.path = path
    file = try MemoryMappedFile(path: path)
    let header = try file.withBytes { try Self.readHeader($0, path: path) }
    guard header.kind == expected.rawValue, let kind = ContainerKind(rawValue: header.kind) else {
      throw StoreError.wrongKind(path: path, found: header.kind, expected: expected)
    }
    self.kind = kind
    sections = try file.withBytes { try Self.readTOC($0, header: header, path: path) }
  }

  public func info(_ name: String) throws -> SectionInfo {
    guard let info = sections[name] else { throw StoreError.missingSection(path: path, name: name) }
    return info
  }

  /// The section's elements, valid only during `body`; throws when the stored type is not `T`.
  public func withSection<T: SectionElement, R>(
    _ name: String, as type: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
  ) throws -> R {
    let info = try info(name)
    guard info.type == T.elementType else {
      throw StoreError.invalidSection(
        path: path, name: name, reason: "holds \(info.type), read as \(T.elementType)")
    }
    return try file.withBytes { bytes in
      let start = bytes.baseAddress.map { ($0 + info.offset).assumingMemoryBound(to: T.self) }
      return try body(UnsafeBufferPointer(start: start, count: info.byteCount / MemoryLayout<T>.stride))
    }
  }

  /// The section's raw bytes (bitmaps, f16), valid only during `body`.
  public func withSectionBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
    let info = try info(name)
    return try file.withBytes { bytes in
      try body(UnsafeRawBufferPointer(rebasing: bytes[info.offset..<info.offset + info.byteCount]))
    }
  }

  /// A copy of the section's elements (for small sections; hot paths use `withSection`).
  public func array<T: SectionElement>(_ name: String, as type: T.Type) throws -> [T] {
    try withSection(name, as: type) { Array($0) }
  }

  struct Header {
    var kind: UInt32
    var sectionCount: Int
    var tocOffset: Int
  }

  private static func readHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Header {
    guard bytes.count >= ContainerLayout.headerSize else {
      throw StoreError.notAContainer(path: path, reason: "\(bytes.count) bytes, shorter than the header")
    }
    guard Array(bytes[0..<8]) == ContainerLayout.magic else {
      throw StoreError.notAContainer(path: path, reason: "bad magic")
    }
    let version = bytes.loadLittleEndian(UInt32.self, at: 8)
    guard version == ContainerLayout.version else {
      throw StoreError.versionMismatch(path: path, found: version, expected: ContainerLayout.version)
    }
    let count = bytes.loadLittleEndian(UInt64.self, at: 16)
    let tocOffset = bytes.loadLittleEndian(UInt64.self, at: 24)
    let totalSize = bytes.loadLittleEndian(UInt64.self, at: 32)
    guard totalSize == UInt64(bytes.count) else {
      throw StoreError.corrupt(
        path: path, reason: "header says \(totalSize) bytes, file has \(bytes.count) (truncated?)")
    }
    guard let sectionCount = Int(exactly: count), let toc = Int(exactly: tocOffset),
      toc >= ContainerLayout.headerSize, sectionCount <= (bytes.count - toc) / ContainerLayout.tocEntrySize
    else { throw StoreError.corrupt(path: path, reason: "table of contents out of bounds") }
    return Header(
      kind: bytes.loadLittleEndian(UInt32.self, at: 12), sectionCount: sectionCount, tocOffset: toc)
  }

  private static func readTOC(_ bytes: UnsafeRawBufferPointer, header: Header, path: String) throws
    -> [String: SectionInfo]
  {
    var sections: [String: SectionInfo] = [:]
    for index in 0..<header.sectionCount {
      let entry = header.tocOffset + index * ContainerLayout.tocEntrySize
      let section = try readEntry(bytes, at: entry, dataEnd: header.tocOffset, path: path)
      sections[section.name] = section
    }
    return sections
  }

  private static func readEntry(_ bytes: UnsafeRawBufferPointer, at entry: Int, dataEnd: Int, path: String)
    throws
    -> SectionInfo
  {
    let nameBytes = bytes[entry..<entry + ContainerLayout.maxNameBytes].prefix { $0 != 0 }
    let name = String(decoding: nameBytes, as: UTF8.self)
    let p = entry + ContainerLayout.maxNameBytes
    let rank = Int(bytes.loadLittleEndian(UInt32.self, at: p + 4))
    guard let type = ElementType(rawValue: bytes.loadLittleEndian(UInt32.self, at: p)),
      rank <= ContainerLayout.maxRank
    else { throw StoreError.corrupt(path: path, reason: "section '\(name)' has an unknown type or rank") }
    var shape: [Int] = []
    for axis in 0..<rank {
      guard let extent = Int(exactly: bytes.loadLittleEndian(UInt64.self, at: p + 8 + 8 * axis)),
        extent < 1 << 40
      else {
        throw StoreError.corrupt(path: path, reason: "section '\(name)' has an impossible shape")
      }
      shape.append(extent)
    }
    let offset = Int(truncatingIfNeeded: bytes.loadLittleEndian(UInt64.self, at: p + 40))
    let count = Int(truncatingIfNeeded: bytes.loadLittleEndian(UInt64.self, at: p + 48))
    guard offset >= ContainerLayout.headerSize, offset % ContainerLayout.alignment == 0, count >= 0,
      offset <= dataEnd, count <= dataEnd - offset, count == type.byteCount(shape: shape)
    else {
      throw StoreError.corrupt(
        path: path, reason: "section '\(name)' lies outside the data or has a bad size")
    }
    return SectionInfo(name: name, type: type, shape: shape, offset: offset, byteCount: count)
  }
}

extension UnsafeRawBufferPointer {
  func loadLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
    T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
  }
}
