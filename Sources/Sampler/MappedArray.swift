// Read-only typed views into the memory-mapped sections of a processed database. A view is a bare pointer (no
// reference counting on the hot path); whoever holds views also holds the `ContainerReader` that owns the mapping
// (DatabaseView holds the ProcessedDatabase, TaskView its task file), so no pointer outlives its mapping (the
// mapping is read-only and unmapped only when the reader is freed). Indices are checked once, when the database view is
// built (DatabaseView validates every length and id), so the hot path reads without bounds checks.
import Store

struct MappedArray<T: SectionElement>: @unchecked Sendable {
  // @unchecked: points into an immutable read-only mapping kept alive by the view's holder.
  let base: UnsafePointer<T>?
  let count: Int

  static var empty: MappedArray { MappedArray(base: nil, count: 0) }

  init(base: UnsafePointer<T>?, count: Int) {
    self.base = base
    self.count = count
  }

  /// The section `name` of `file`, checked to hold `expected` elements (nil: any count).
  init(_ file: ContainerReader, _ name: String, as _: T.Type, expected: Int? = nil) throws {
    let (base, count) = try file.withSection(name, as: T.self) { ($0.baseAddress, $0.count) }
    if let expected, expected != count {
      throw SamplerError.inconsistent(
        path: file.path, section: name, reason: "\(count) elements, expected \(expected)")
    }
    self.init(base: base, count: count)
  }

  /// Unchecked read: `index` was validated against `count` when the view was built.
  @inline(__always) subscript(index: Int) -> T { base.unsafelyUnwrapped[index] }

  @inline(__always) func pointer(at index: Int) -> UnsafePointer<T> { base.unsafelyUnwrapped + index }
}

/// A validity bitmap section (one bit per row, LSB first).
struct MappedBitmap: @unchecked Sendable {
  // @unchecked: as MappedArray.
  let base: UnsafePointer<UInt8>?

  init(_ file: ContainerReader, _ name: String, rows: Int) throws {
    let (base, count) = try file.withSectionBytes(name) {
      ($0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count)
    }
    guard count == (rows + 7) / 8 else {
      throw SamplerError.inconsistent(
        path: file.path, section: name, reason: "\(count) bytes for \(rows) rows")
    }
    self.base = base
  }

  @inline(__always) func isSet(_ row: Int) -> Bool {
    base.unsafelyUnwrapped[row &>> 3] & (1 &<< UInt8(truncatingIfNeeded: row & 7)) != 0
  }
}
