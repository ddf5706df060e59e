// Primary-key lookup for resolving foreign keys into graph edges, composite keys included (up to 4 columns).
// Integer and timestamp parts are their Int64 values; string parts are a 64-bit hash of their bytes, and every
// match is confirmed by comparing the bytes, so a hash collision can never create a wrong edge.

/// One key column's values, in the form keys compare in.
public enum KeyPart: Sendable {
  /// Integers of any width, timestamps as µs, booleans as 0/1.
  case integers([Int64])
  /// Byte strings: value i is `data[offsets[i]..<offsets[i + 1]]`.
  case strings(offsets: [Int], data: [UInt8])

  var count: Int {
    switch self {
    case .integers(let values): return values.count
    case .strings(let offsets, _): return offsets.count - 1
    }
  }

  var isString: Bool {
    if case .strings = self { return true }
    return false
  }

  func atom(_ row: Int) -> UInt64 {
    switch self {
    case .integers(let values): return UInt64(bitPattern: values[row])
    case .strings(let offsets, let data):
      return data.withUnsafeBufferPointer { KeyHash.fnv1a($0[offsets[row]..<offsets[row + 1]]) }
    }
  }

  func sameValue(_ row: Int, as other: KeyPart, _ otherRow: Int) -> Bool {
    switch (self, other) {
    case (.integers(let a), .integers(let b)): return a[row] == b[otherRow]
    case (.strings(let ao, let ad), .strings(let bo, let bd)):
      return ad[ao[row]..<ao[row + 1]].elementsEqual(bd[bo[otherRow]..<bo[otherRow + 1]])
    default: return false
    }
  }
}

struct KeyTuple: Hashable {
  var a: UInt64 = 0
  var b: UInt64 = 0
  var c: UInt64 = 0
  var d: UInt64 = 0

  init(parts: [KeyPart], row: Int) {
    for (index, part) in parts.enumerated() {
      switch index {
      case 0: a = part.atom(row)
      case 1: b = part.atom(row)
      case 2: c = part.atom(row)
      default: d = part.atom(row)
      }
    }
  }
}

enum KeyHash {
  static func fnv1a(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return hash
  }
}

public struct KeyIndex: Sendable {
  public static let maxParts = 4
  let parts: [KeyPart]
  private var rows: [KeyTuple: Int32] = [:]

  /// Indexes the rows of a primary key; rows with a null part are skipped (`valid` false).
  /// Returns the first duplicated row pair, if any, so the caller can name it.
  public init(parts: [KeyPart], valid: (Int) -> Bool) throws(KeyIndexError) {
    guard (1...Self.maxParts).contains(parts.count) else { throw .tooManyParts(parts.count) }
    self.parts = parts
    let count = parts[0].count
    rows.reserveCapacity(count)
    for row in 0..<count where valid(row) {
      let key = KeyTuple(parts: parts, row: row)
      if let existing = rows[key] {
        if sameKey(parts, row, Int(existing)) { throw .duplicate(firstRow: Int(existing), secondRow: row) }
        throw .hashCollision(firstRow: Int(existing), secondRow: row)
      }
      rows[key] = Int32(truncatingIfNeeded: row)
    }
  }

  /// The row whose key equals `foreign`'s parts at `row`, or nil (a dangling link).
  public func lookup(_ foreign: [KeyPart], row: Int) -> Int? {
    guard let match = rows[KeyTuple(parts: foreign, row: row)] else { return nil }
    return sameKey(foreign, row, Int(match)) ? Int(match) : nil
  }

  private func sameKey(_ other: [KeyPart], _ row: Int, _ ownRow: Int) -> Bool {
    zip(other, parts).allSatisfy { $0.sameValue(row, as: $1, ownRow) }
  }

  public var count: Int { rows.count }
}

public enum KeyIndexError: Error, Equatable {
  case tooManyParts(Int)
  case duplicate(firstRow: Int, secondRow: Int)
  case hashCollision(firstRow: Int, secondRow: Int)
}
