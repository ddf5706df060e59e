// SIMD helpers for the CPU kernels: dot products and sums with several SIMD8 accumulators (a plain
// float reduction is latency-bound), and row-wise axpy/scale.
// Refuses: bounds checks (callers pass valid pointers and counts from validated shapes).

enum SIMDMath {
  /// sum of x[i] over `count` elements.
  @inline(__always) static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var i = 0
    let raw = UnsafeRawPointer(x)
    while i + 32 <= count {
      a0 += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      a1 += raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
      a2 += raw.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD8<Float>.self)
      a3 += raw.loadUnaligned(fromByteOffset: (i + 24) * 4, as: SIMD8<Float>.self)
      i += 32
    }
    while i + 8 <= count {
      a0 += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      i += 8
    }
    var total = ((a0 + a1) + (a2 + a3)).sum()
    while i < count {
      total += x[i]
      i += 1
    }
    return total
  }

  /// sum of x[i] * y[i].
  @inline(__always) static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int)
    -> Float
  {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var i = 0
    let rx = UnsafeRawPointer(x)
    let ry = UnsafeRawPointer(y)
    @inline(__always) func load(_ r: UnsafeRawPointer, _ at: Int) -> SIMD8<Float> {
      r.loadUnaligned(fromByteOffset: at * 4, as: SIMD8<Float>.self)
    }
    while i + 32 <= count {
      a0 = a0.addingProduct(load(rx, i), load(ry, i))
      a1 = a1.addingProduct(load(rx, i + 8), load(ry, i + 8))
      a2 = a2.addingProduct(load(rx, i + 16), load(ry, i + 16))
      a3 = a3.addingProduct(load(rx, i + 24), load(ry, i + 24))
      i += 32
    }
    while i + 8 <= count {
      a0 = a0.addingProduct(load(rx, i), load(ry, i))
      i += 8
    }
    var total = ((a0 + a1) + (a2 + a3)).sum()
    while i < count {
      total += x[i] * y[i]
      i += 1
    }
    return total
  }

  /// sum of (x[i] - shift)^2.
  @inline(__always) static func sumSquaredDeviation(_ x: UnsafePointer<Float>, _ count: Int, shift: Float)
    -> Float
  {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>()
    let s = SIMD8<Float>(repeating: shift)
    let raw = UnsafeRawPointer(x)
    var i = 0
    while i + 16 <= count {
      let d0 = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - s
      let d1 = raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self) - s
      a0 = a0.addingProduct(d0, d0)
      a1 = a1.addingProduct(d1, d1)
      i += 16
    }
    var total = (a0 + a1).sum()
    while i < count {
      let d = x[i] - shift
      total += d * d
      i += 1
    }
    return total
  }

  /// y[i] += alpha * x[i].
  @inline(__always) static func axpy(
    _ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    var i = 0
    let a = SIMD8<Float>(repeating: alpha)
    let rx = UnsafeRawPointer(x)
    let ry = UnsafeMutableRawPointer(y)
    while i + 8 <= count {
      let xv = rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      let yv = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      ry.storeBytes(of: yv.addingProduct(a, xv), toByteOffset: i * 4, as: SIMD8<Float>.self)
      i += 8
    }
    while i < count {
      y[i] += alpha * x[i]
      i += 1
    }
  }

  /// The largest of `count` elements (-infinity when empty); NaNs are skipped.
  @inline(__always) static func maximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var m0 = SIMD8<Float>(repeating: -.infinity)
    var m1 = m0
    var i = 0
    let raw = UnsafeRawPointer(x)
    while i + 16 <= count {
      let a = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      let b = raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
      m0 = m0.replacing(with: a, where: a .> m0)
      m1 = m1.replacing(with: b, where: b .> m1)
      i += 16
    }
    m0 = m0.replacing(with: m1, where: m1 .> m0)
    var result = m0.max()
    while i < count {
      result = max(result, x[i])
      i += 1
    }
    return result
  }
}
