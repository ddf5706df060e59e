// Randomness of the sampler, all of it derived from (global seed, epoch, sample index) — for an explicit seed,
// (global seed, epoch, row, time) — so that a sample is the same whichever thread builds it: a SplitMix64 stream per sample, a stateless Feistel permutation for shuffled
// epochs (no per-epoch array), and Floyd's algorithm for "k of n children, uniformly, without replacement".

/// SplitMix64 (Steele, Lea, Flood 2014): one 64-bit state, fast, statistically fine for sampling.
struct SampleRandom {
  private var state: UInt64

  init(seed: UInt64, epoch: Int, index: Int) {
    state = Self.mix(
      seed ^ Self.mix(UInt64(truncatingIfNeeded: epoch) &+ Self.mix(UInt64(truncatingIfNeeded: index))))
  }

  init(state: UInt64) { self.state = state }

  /// An explicit seed's stream, keyed by what it is (row node and time), not by its position in its list: its
  /// context, hence its prediction, is the same whichever seeds come with it. The tag keeps these streams apart
  /// from the indexed ones.
  init(seed: UInt64, epoch: Int, node: Int, time: Int64) {
    let what = Self.mix(UInt64(truncatingIfNeeded: node) ^ Self.mix(UInt64(bitPattern: time) ^ 0x5EED))
    state = Self.mix(seed ^ Self.mix(UInt64(truncatingIfNeeded: epoch) &+ what))
  }

  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inline(__always) mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in 0..<bound (bound > 0), by the multiply-high method (bias below 2^-32 for bounds < 2^32).
  @inline(__always) mutating func below(_ bound: Int) -> Int {
    Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(truncatingIfNeeded: bound)).high)
  }

  /// Uniform in [0, 1).
  @inline(__always) mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// A bijection of 0..<count keyed by (seed, epoch): a balanced Feistel network on the next even number of bits,
/// cycle-walking until the value falls inside the domain (expected < 4 rounds of walking).
struct EpochPermutation {
  let count: Int
  private let halfBits: Int
  private let keys: (UInt64, UInt64, UInt64, UInt64)

  init(count: Int, seed: UInt64, epoch: Int) {
    self.count = count
    var bits = 2
    while (1 << bits) < count { bits += 2 }
    halfBits = bits / 2
    var random = SampleRandom(seed: seed ^ 0x5045_524D, epoch: epoch, index: -1)
    keys = (random.next(), random.next(), random.next(), random.next())
  }

  func callAsFunction(_ index: Int) -> Int {
    guard count > 1 else { return 0 }
    var value = UInt64(truncatingIfNeeded: index)
    repeat { value = encrypt(value) } while value >= UInt64(count)
    return Int(value)
  }

  private func encrypt(_ value: UInt64) -> UInt64 {
    let mask = (UInt64(1) << UInt64(halfBits)) - 1
    var left = value >> UInt64(halfBits)
    var right = value & mask
    for key in [keys.0, keys.1, keys.2, keys.3] {
      let next = left ^ (SampleRandom.mix(right ^ key) & mask)
      left = right
      right = next
    }
    return (left << UInt64(halfBits)) | right
  }
}
