// A packed bitmap (LSB-first within 64-bit words), used for validity.

/// A growable packed bit vector.
public struct Bitmap: Sendable, Equatable {
  public private(set) var words: [UInt64]
  public private(set) var count: Int

  public init() {
    words = []
    count = 0
  }

  /// A bitmap of `count` bits, all set to `value`.
  public init(repeating value: Bool, count: Int) {
    words = [UInt64](repeating: value ? ~0 : 0, count: (count + 63) / 64)
    self.count = count
    if value, count % 64 != 0, let last = words.indices.last { words[last] = (1 << UInt64(count % 64)) - 1 }
  }

  public subscript(index: Int) -> Bool {
    words[index >> 6] & (1 << UInt64(index & 63)) != 0
  }

  public mutating func append(_ bit: Bool) {
    if count & 63 == 0 { words.append(0) }
    if bit { words[count >> 6] |= 1 << UInt64(count & 63) }
    count += 1
  }

  /// Appends one bit per flag (flag != 0 sets the bit).
  public mutating func append(flags: UnsafeBufferPointer<UInt8>) {
    var index = 0
    // Bit by bit up to a word boundary, then whole words.
    while index < flags.count && count & 63 != 0 {
      append(flags[index] != 0)
      index += 1
    }
    words.reserveCapacity((count + flags.count - index + 63) / 64)
    while flags.count - index >= 64 {
      var word: UInt64 = 0
      for bit in 0..<64 { word |= UInt64(flags[index + bit] & 1) << UInt64(bit) }
      words.append(word)
      count += 64
      index += 64
    }
    while index < flags.count {
      append(flags[index] != 0)
      index += 1
    }
  }

  /// Appends `n` bits of the same value.
  public mutating func append(repeating bit: Bool, count n: Int) {
    var left = n
    while left > 0 && count & 63 != 0 {
      append(bit)
      left -= 1
    }
    if left >= 64 {
      words.append(contentsOf: repeatElement(bit ? ~0 : 0, count: left / 64))
      count += left / 64 * 64
      left %= 64
    }
    for _ in 0..<left { append(bit) }
  }

  public mutating func append(contentsOf other: Bitmap) {
    if count & 63 == 0 {
      words.append(contentsOf: other.words)
      count += other.count
      return
    }
    for index in 0..<other.count { append(other[index]) }
  }

  /// Number of set bits.
  public var setCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}
