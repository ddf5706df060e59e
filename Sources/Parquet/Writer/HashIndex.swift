// An open-addressing hash index for the dictionary builder: maps a value (given by its hash and an equality
// test against existing entries) to its entry number, inserting it when new. Linear probing over a power-of-two
// table kept under half full; entries are numbered 0, 1, 2, ... in insertion order. Much cheaper per value than
// `Dictionary` (no SipHash, no boxing of byte-string keys). Not a general-purpose container: no removal.

struct HashIndex {
  private var slots: [Int32]
  private var entryHashes: [UInt64] = []
  private var mask: Int

  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
  }

  var count: Int { entryHashes.count }

  /// The entry equal to the value (by `isEqual(entry)`), or a new entry; `inserted` tells which.
  @inline(__always)
  mutating func findOrInsert(hash: UInt64, isEqual: (Int) -> Bool) -> (entry: Int, inserted: Bool) {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = Int(slots[slot])
      if entry < 0 { break }
      if entryHashes[entry] == hash && isEqual(entry) { return (entry, false) }
      slot = (slot + 1) & mask
    }
    let entry = entryHashes.count
    slots[slot] = Int32(truncatingIfNeeded: entry)
    entryHashes.append(hash)
    if entryHashes.count * 2 > slots.count { grow() }
    return (entry, true)
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    for (entry, hash) in entryHashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(truncatingIfNeeded: entry)
    }
  }

  /// Mixes a fixed-width value's bits (murmur3's finalizer).
  @inline(__always)
  static func hash(_ value: UInt64) -> UInt64 {
    var h = value
    h ^= h >> 33
    h &*= 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h &*= 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
  }

  /// Hashes a byte string eight bytes at a time.
  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var offset = 0
    while offset + 8 <= bytes.count {
      h = (h ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x0000_0100_0000_01B3
      h ^= h >> 29
      offset += 8
    }
    var tail: UInt64 = 0
    for index in offset..<bytes.count { tail = tail << 8 | UInt64(bytes[index]) }
    return hash(h ^ tail)
  }
}
