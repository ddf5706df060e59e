// The container every file of a processed database uses (graph.bin, tables/*.bin, tasks/*.bin, *_embeddings.bin):
// a fixed header, 64-byte-aligned named arrays ("sections"), and a table of contents at the end. Layout in
// docs/format.md; this file and ContainerReader.swift are its only implementation, shared by writer and reader.
// Little-endian throughout. Sections are mapped zero-copy: a reader gets typed pointers straight into the mapping.
import FileSupport

public enum ContainerLayout {
  public static let magic: [UInt8] = Array("TRIBUTRY".utf8)
  public static let version: UInt32 = 1
  public static let headerSize = 64
  public static let alignment = 64
  public static let tocEntrySize = 128
  public static let maxNameBytes = 64
  public static let maxRank = 4
}

/// Element type of a section.
public enum ElementType: UInt32, Sendable, CaseIterable {
  case uint8 = 1, int8, uint16, int16, uint32, int32, uint64, int64, float16, bfloat16, float32, float64
  /// Validity bits, LSB first within each byte (bit i of byte j is element 8*j + i).
  case bitmap = 20

  public var byteWidth: Int {
    switch self {
    case .uint8, .int8, .bitmap: return 1
    case .uint16, .int16, .float16, .bfloat16: return 2
    case .uint32, .int32, .float32: return 4
    case .uint64, .int64, .float64: return 8
    }
  }

  /// Bytes of a section of this type and shape (bitmaps: one bit per element, rounded up to bytes).
  public func byteCount(shape: [Int]) -> Int {
    let elements = shape.reduce(1, *)
    return self == .bitmap ? (elements + 7) / 8 : elements * byteWidth
  }
}

/// What a file holds; checked on open so that a table file is never read as a graph.
public enum ContainerKind: UInt32, Sendable {
  case table = 1, graph, task, embeddings
}

public struct SectionInfo: Sendable, Equatable {
  public let name: String
  public let type: ElementType
  public let shape: [Int]
  public let offset: Int
  public let byteCount: Int
}

/// Marker for the element types a section can be read or written as.
public protocol SectionElement: BitwiseCopyable {
  static var elementType: ElementType { get }
}
extension UInt8: SectionElement { public static var elementType: ElementType { .uint8 } }
extension Int8: SectionElement { public static var elementType: ElementType { .int8 } }
extension UInt16: SectionElement { public static var elementType: ElementType { .uint16 } }
extension Int16: SectionElement { public static var elementType: ElementType { .int16 } }
extension UInt32: SectionElement { public static var elementType: ElementType { .uint32 } }
extension Int32: SectionElement { public static var elementType: ElementType { .int32 } }
extension UInt64: SectionElement { public static var elementType: ElementType { .uint64 } }
extension Int64: SectionElement { public static var elementType: ElementType { .int64 } }
extension Float: SectionElement { public static var elementType: ElementType { .float32 } }
extension Double: SectionElement { public static var elementType: ElementType { .float64 } }
