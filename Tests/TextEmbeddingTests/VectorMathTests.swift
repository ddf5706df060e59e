// The vectorisable erf and exp against glibc's double-precision erf/exp on a dense grid.
import Foundation
import Testing

@testable import TextEmbedding

private func grid(from lower: Float, to upper: Float, count: Int) -> [Float] {
  (0..<count).map { lower + (upper - lower) * Float($0) / Float(count - 1) }
}

@Test func erfIsWithinFiveTenMillionths() {
  var worst = 0.0
  for x in grid(from: -7, to: 7, count: 200_001) + [0, -0.0, 1e-20, 4, -4, 100, -100] {
    worst = max(worst, abs(Double(VectorMath.erf(x)) - erf(Double(x))))
  }
  #expect(worst < 5e-7, "max |erf error| \(worst)")
}

@Test func expIsWithinTwoUlps() {
  var worst = 0.0
  for x in grid(from: -80, to: 80, count: 200_001) + [0, -0.0, 1, -1, 0.5, -86.5, 88] {
    let exact = exp(Double(x))
    worst = max(worst, abs(Double(VectorMath.exp(x)) - exact) / exact)
  }
  #expect(worst < 2.5e-7, "max relative exp error \(worst)")
}
