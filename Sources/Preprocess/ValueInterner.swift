// Distinct values of a categorical or text column, numbered in order of first appearance, without creating a
// String per row: byte strings are hashed in place and compared byte for byte (open addressing, linear probing);
// only each distinct value becomes a String.
import Parquet

enum ValueInterner {
  /// Row -> local id (-1 for null rows) and the distinct values.
  static func intern(_ values: ByteArrayValues, valid: (Int) -> Bool) -> ([Int32], [String]) {
    var ids = [Int32](repeating: -1, count: values.count)
    var firstRows: [Int] = []
    var hashes: [UInt64] = []
    var table = OpenTable()
    values.data.withUnsafeBufferPointer { data in
      values.offsets.withUnsafeBufferPointer { offsets in
        func bytes(_ row: Int) -> Slice<UnsafeBufferPointer<UInt8>> { data[offsets[row]..<offsets[row + 1]] }
        for row in 0..<values.count where valid(row) {
          let hash = KeyHash.fnv1a(bytes(row))
          ids[row] = table.findOrInsert(hash: hash, count: firstRows.count) { id in
            hashes[id] == hash && bytes(firstRows[id]).elementsEqual(bytes(row))
          } onInsert: {
            firstRows.append(row)
            hashes.append(hash)
          } rehash: {
            hashes[$0]
          }
        }
      }
    }
    let distinct = firstRows.map { String(decoding: values[$0], as: UTF8.self) }
    return (ids, distinct)
  }

  static func intern(_ values: [Int64], valid: (Int) -> Bool) -> ([Int32], [Int64]) {
    var ids = [Int32](repeating: -1, count: values.count)
    var distinct: [Int64] = []
    var table = OpenTable()
    for row in values.indices where valid(row) {
      let value = values[row]
      let hash = SplitMix64.mix(UInt64(bitPattern: value))
      ids[row] = table.findOrInsert(hash: hash, count: distinct.count) {
        distinct[$0] == value
      } onInsert: {
        distinct.append(value)
      } rehash: {
        SplitMix64.mix(UInt64(bitPattern: distinct[$0]))
      }
    }
    return (ids, distinct)
  }
}

/// Slots holding ids of distinct values; grows (rehashing through the caller's hashes) at load 1/2.
struct OpenTable {
  private var slots = [Int32](repeating: -1, count: 1024)
  private var mask = 1023

  mutating func findOrInsert(
    hash: UInt64, count: Int, matches: (Int) -> Bool, onInsert: () -> Void, rehash: (Int) -> UInt64
  ) -> Int32 {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] >= 0 {
      if matches(Int(slots[slot])) { return slots[slot] }
      slot = (slot + 1) & mask
    }
    let id = Int32(count)
    slots[slot] = id
    onInsert()
    if 2 * (count + 1) > slots.count { grow(count: count + 1, rehash: rehash) }
    return id
  }

  private mutating func grow(count: Int, rehash: (Int) -> UInt64) {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    mask = slots.count - 1
    for id in 0..<count {
      var slot = Int(truncatingIfNeeded: rehash(id)) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(id)
    }
  }
}
