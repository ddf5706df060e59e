// Shared helpers of the tensor tests: seeded random data (a fresh seed per run, printed on failure),
// parity reports (relativeError is in TestSupport), and the central-difference gradient checker.
import Foundation
import Testing

@testable import Tensor

/// A fresh seed per run; every failure message carries it so the run can be repeated.
func freshSeed() -> UInt64 { UInt64.random(in: 1...UInt64.max) }

struct TestData {
  var rng: SplitMix64
  let seed: UInt64
  init(seed: UInt64) {
    self.seed = seed
    rng = SplitMix64(seed: seed)
  }

  /// Uniform values in [-scale, scale), never all zero (and never exactly zero).
  mutating func values(_ count: Int, scale: Double = 1) -> [Double] {
    (0..<count).map { _ in
      let v = Double(rng.nextSignedUnit()) * scale
      return v == 0 ? scale / 3 : v
    }
  }

  mutating func floats(_ count: Int, scale: Double = 1) -> [Float] {
    values(count, scale: scale).map { Float($0) }
  }

  mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &rng) }
}

/// Checks `analytic` = d loss / d input by central differences at up to `samples` random positions.
func checkGradient(
  _ label: String, seed: UInt64, input: [Double], analytic: [Double], samples: Int = 20,
  tolerance: Double = 1e-6, loss: ([Double]) -> Double
) {
  #expect(analytic.count == input.count, "\(label): gradient count, seed \(seed)")
  var rng = SplitMix64(seed: seed ^ 0xABCD)
  let positions =
    input.count <= samples
    ? Array(input.indices) : (0..<samples).map { _ in Int.random(in: 0..<input.count, using: &rng) }
  var worst = 0.0
  for i in positions {
    let h = 1e-6 * max(1, abs(input[i]))
    var plus = input
    var minus = input
    plus[i] += h
    minus[i] -= h
    let numeric = (loss(plus) - loss(minus)) / (2 * h)
    let error = abs(numeric - analytic[i]) / max(1, abs(numeric), abs(analytic[i]))
    worst = max(worst, error)
  }
  #expect(worst < tolerance, "\(label): worst relative gradient error \(worst), seed \(seed)")
}

/// sum(out * weights): the scalar a gradient check differentiates.
func weightedSum(_ out: [Double], _ weights: [Double]) -> Double {
  zip(out, weights).reduce(0) { $0 + $1.0 * $1.1 }
}

/// Records parity results so they show up in the test log.
func reportParity(_ label: String, _ error: Double, tolerance: Double, seed: UInt64) {
  print("parity \(label): relative error \(String(format: "%.2e", error))")
  #expect(error < tolerance, "\(label): relative error \(error) >= \(tolerance), seed \(seed)")
}
