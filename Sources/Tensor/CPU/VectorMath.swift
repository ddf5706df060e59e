// Eight-lane transcendentals for the elementwise and softmax kernels: libm's scalar expf/erff/tanhf cost
// 10-30 ns an element here, which made GELU slower than the GEMMs around it.
// exp: Cephes-style range reduction + degree-6 polynomial (~2 ulp); inputs below -87.3 give exactly 0.
// erf: Abramowitz-Stegun 7.1.26 (absolute error <= 1.5e-7, below f32 resolution of 1 + erf).
// NaN propagates; exp saturates at exp(88.3) ~ 2e38 instead of overflowing to infinity.

enum VectorMath {
  typealias V = SIMD8<Float>

  @inline(__always) static func exp(_ input: V) -> V {
    // Only `replacing(with:where:)` and plain arithmetic: they compile to vblendvps/vminps and FMAs,
    // while pointwiseMin, clamped, rounded and float-to-int conversions go lane by lane (10x slower).
    let low = V(repeating: -87.3)
    let high = V(repeating: 88.3)
    var x = input.replacing(with: low, where: input .< low)
    x = x.replacing(with: high, where: x .> high)
    let shifted = x * 1.44269504088896341 + 12582912.0  // 1.5 * 2^23: rounds to an integer in the low bits
    let n = shifted - 12582912.0
    let r = x.addingProduct(n, V(repeating: -0.693359375)).addingProduct(n, V(repeating: 2.12194440e-4))
    var p = V(repeating: 1.9875691500e-4)
    p = V(repeating: 1.3981999507e-3).addingProduct(p, r)
    p = V(repeating: 8.3334519073e-3).addingProduct(p, r)
    p = V(repeating: 4.1665795894e-2).addingProduct(p, r)
    p = V(repeating: 1.6666665459e-1).addingProduct(p, r)
    p = V(repeating: 5.0000001201e-1).addingProduct(p, r)
    let y = (r + 1).addingProduct(p * r, r)
    let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000) &<< 23
    let result = unsafeBitCast(unsafeBitCast(y, to: SIMD8<Int32>.self) &+ exponent, to: V.self)
    return result.replacing(with: V(), where: input .< low).replacing(with: input, where: input .!= input)
  }

  /// 1 / (1 + exp(-x))
  @inline(__always) static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

  /// tanh(x) = 1 - 2 / (exp(2x) + 1)
  @inline(__always) static func tanh(_ x: V) -> V { 1 - 2 / (exp(x + x) + 1) }

  @inline(__always) static func erf(_ x: V) -> V {
    let a = abs(x)
    let t = 1 / (1 + 0.3275911 * a)
    var p = V(repeating: 1.061405429)
    p = V(repeating: -1.453152027).addingProduct(p, t)
    p = V(repeating: 1.421413741).addingProduct(p, t)
    p = V(repeating: -0.284496736).addingProduct(p, t)
    p = V(repeating: 0.254829592).addingProduct(p, t)
    let y = 1 - p * t * exp(-a * a)
    return y.replacing(with: -y, where: x .< 0)
  }

  @inline(__always) static func abs(_ x: V) -> V { x.replacing(with: -x, where: x .< 0) }

  /// Applies `f` to `count` elements of `x` into `out`, eight at a time (a partial tail block included).
  @inline(__always) static func map(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int, _ f: (V) -> V
  ) {
    let rx = UnsafeRawPointer(x)
    let ro = UnsafeMutableRawPointer(out)
    var i = 0
    while i + 8 <= count {
      ro.storeBytes(
        of: f(rx.loadUnaligned(fromByteOffset: i * 4, as: V.self)), toByteOffset: i * 4, as: V.self)
      i += 8
    }
    if i < count {
      var tail = V()
      for lane in 0..<(count - i) { tail[lane] = x[i + lane] }
      let y = f(tail)
      for lane in 0..<(count - i) { out[i + lane] = y[lane] }
    }
  }

  /// out[i] += f(x[i], g[i]) for `count` elements (the backward form: g is the incoming gradient).
  @inline(__always) static func accumulate(
    _ x: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ count: Int,
    _ f: (V, V) -> V
  ) {
    var i = 0
    while i < count {
      let lanes = min(8, count - i)
      var xv = V()
      var gv = V()
      if lanes == 8 {
        xv = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
        gv = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
      } else {
        for lane in 0..<lanes {
          xv[lane] = x[i + lane]
          gv[lane] = g[i + lane]
        }
      }
      let y = f(xv, gv)
      for lane in 0..<lanes { out[i + lane] += y[lane] }
      i += 8
    }
  }
}
