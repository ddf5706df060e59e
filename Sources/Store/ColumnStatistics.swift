// Statistics of a numerical column, accumulated in Float64 (Welford) so z-scoring is exact enough for f32 output.
// Non-finite values are counted apart and never enter the moments.

public struct ColumnStatistics: Codable, Sendable, Equatable {
  public var count: Int = 0
  public var nullCount: Int = 0
  public var nonFiniteCount: Int = 0
  public var mean: Double = 0
  public var min: Double = .infinity
  public var max: Double = -.infinity
  private var m2: Double = 0

  public init() {}

  public mutating func add(_ value: Double) {
    guard value.isFinite else {
      nonFiniteCount += 1
      return
    }
    count += 1
    let delta = value - mean
    mean += delta / Double(count)
    m2 += delta * (value - mean)
    min = Swift.min(min, value)
    max = Swift.max(max, value)
  }

  /// Population standard deviation; 0 for fewer than two values.
  public var std: Double { count > 1 ? (m2 / Double(count)).squareRoot() : 0 }

  /// The divisor used for z-scores: the standard deviation, or 1 for a constant column (its values become 0).
  public var scale: Double { std > 0 ? std : 1 }

  public func zScore(_ value: Double) -> Double { (value - mean) / scale }
  public func unscale(_ z: Double) -> Double { z * scale + mean }

  enum CodingKeys: String, CodingKey {
    case count, mean, min, max, m2
    case nullCount = "null_count"
    case nonFiniteCount = "non_finite_count"
  }
}
