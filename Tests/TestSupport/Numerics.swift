// Small numeric helpers that several test targets use to compare with references: the relative error of a result
// against a reference, and integer powers of Int128 (wide decimals). Tolerances are each test's own choice.

/// max |a - b| / max(max |b|, floor): the relative error of `a` against reference `b`. Infinity when the counts
/// differ or when one value of a pair is NaN and the other is not.
public func relativeError<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(
  _ a: [A], _ b: [B], floor: Double = 1e-3
) -> Double {
  guard a.count == b.count else { return .infinity }
  var diff = 0.0
  var scale = floor
  for i in a.indices {
    let x = Double(a[i])
    let y = Double(b[i])
    if x.isNaN != y.isNaN { return .infinity }
    if x.isFinite || y.isFinite { diff = max(diff, abs(x - y)) }
    scale = max(scale, abs(y))
  }
  return diff / scale
}

extension Int128 {
  /// self^exponent (exponent >= 0), trapping on overflow like `*`.
  public func power(_ exponent: Int) -> Int128 { (0..<exponent).reduce(1) { product, _ in product * self } }
}
