// Seeded randomness, passed explicitly: a SplitMix64 generator for initialisation and tests, and a
// counter-based hash for dropout so a mask depends only on (seed, element index), never on threads.
// Refuses: a global generator.
import Foundation

/// SplitMix64: small, fast, and good enough for weights and test data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public var state: UInt64
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return SplitMix64.mix(state)
  }

  /// The SplitMix64 finaliser: a bijective 64-bit hash.
  @inlinable public static func mix(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A float uniform in [-1, 1).
  public mutating func nextSignedUnit() -> Float {
    Float(next() >> 40) / Float(1 << 23) - 1
  }

  /// A normal variate (Box-Muller).
  public mutating func nextNormal() -> Float {
    let u1 = max(Double(next() >> 11) / Double(1 << 53), 1e-300)
    let u2 = Double(next() >> 11) / Double(1 << 53)
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }
}

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }

/// The dropout keep decision for one element: a pure function of (seed, index).
public enum DropoutMask {
  /// A distinct seed per (run seed, step, dropout site): pass it to the forward and the backward call.
  public static func seed(run: UInt64, step: Int, site: Int) -> UInt64 {
    SplitMix64.mix(SplitMix64.mix(run &+ UInt64(truncatingIfNeeded: step)) ^ UInt64(truncatingIfNeeded: site))
  }

  @inlinable public static func keeps(index: UInt64, seed: UInt64, probability: Float) -> Bool {
    let hash = SplitMix64.mix(seed &+ SplitMix64.mix(index &+ 0x9E37_79B9_7F4A_7C15))
    return Float(hash >> 40) >= probability * Float(1 << 24)
  }
}
