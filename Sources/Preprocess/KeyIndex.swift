// Primary-key lookup for resolving foreign keys into graph edges, composite keys included (up to 4 columns).
// Integer and timestamp parts are their Int64 values; string parts are hashed, and every match is confirmed by
// comparing the values themselves, so a hash collision can never create a wrong edge.

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

enum KeyHash {
  static func fnv1a(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return hash
  }
}

/// Open addressing over row numbers (load factor <= 1/2, linear probing) with a 32-bit hash tag per slot:
/// no per-key allocation, and Swift's SipHash-based Dictionary (the slowest part of graph building) is avoided.
public struct KeyIndex: Sendable {
  public static let maxParts = 4
  let parts: [KeyPart]
  private var slots: [Int32]
  private var tags: [UInt32]
  private let mask: Int
  public private(set) var count = 0

  /// Indexes the rows of a primary key; rows with a null part are skipped (`valid` false).
  public init(parts: [KeyPart], valid: (Int) -> Bool) throws(KeyIndexError) {
    guard (1...Self.maxParts).contains(parts.count) else { throw .tooManyParts(parts.count) }
    self.parts = parts
    let rows = parts[0].count
    var capacity = 16
    while capacity < 2 * rows { capacity <<= 1 }
    slots = [Int32](repeating: -1, count: capacity)
    tags = [UInt32](repeating: 0, count: capacity)
    mask = capacity - 1
    for row in 0..<rows where valid(row) { try insert(row) }
  }

  private mutating func insert(_ row: Int) throws(KeyIndexError) {
    let hash = Self.hash(parts, row)
    var slot = Int(truncatingIfNeeded: hash) & mask
    let tag = UInt32(truncatingIfNeeded: hash >> 32)
    while slots[slot] >= 0 {
      let existing = Int(slots[slot])
      if tags[slot] == tag && Self.sameKey(parts, row, parts, existing) {
        throw .duplicate(firstRow: existing, secondRow: row)
      }
      slot = (slot + 1) & mask
    }
    slots[slot] = Int32(truncatingIfNeeded: row)
    tags[slot] = tag
    count += 1
  }

  /// The row whose key equals `foreign`'s parts at `row`, or nil (a dangling link).
  public func lookup(_ foreign: [KeyPart], row: Int) -> Int? {
    let hash = Self.hash(foreign, row)
    var slot = Int(truncatingIfNeeded: hash) & mask
    let tag = UInt32(truncatingIfNeeded: hash >> 32)
    while slots[slot] >= 0 {
      let candidate = Int(slots[slot])
      if tags[slot] == tag && Self.sameKey(foreign, row, parts, candidate) { return candidate }
      slot = (slot + 1) & mask
    }
    return nil
  }

  static func hash(_ parts: [KeyPart], _ row: Int) -> UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3
    for part in parts { h = (h ^ part.atom(row)) &* 0x9E37_79B9_7F4A_7C15 ^ (h >> 29) }
    return SplitMix64.mix(h)
  }

  private static func sameKey(_ a: [KeyPart], _ rowA: Int, _ b: [KeyPart], _ rowB: Int) -> Bool {
    for index in a.indices where !a[index].sameValue(rowA, as: b[index], rowB) { return false }
    return true
  }
}

public enum KeyIndexError: Error, Equatable {
  case tooManyParts(Int)
  case duplicate(firstRow: Int, secondRow: Int)
}
