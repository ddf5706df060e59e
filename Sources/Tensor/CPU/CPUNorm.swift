// Fast CPU row kernels: LayerNorm, RMSNorm, softmax, mean pooling, L2 normalisation, forward and
// backward. Rows run in parallel chunks; reductions within a row use SIMD8 accumulators; weight
// gradients use the fixed-block column sums so results do not depend on the worker count.
import Foundation

extension CPUKernels {
  /// x[N,C] -> out[N,C], mean[N], rstd[N]
  static func layerNormForward(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
    rows: Int, columns c: Int, epsilon: Float, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 4096 / max(c, 1))) { range in
      for r in range {
        let row = x + r * c
        let m = SIMDMath.sum(row, c) / Float(c)
        let s = 1 / (SIMDMath.sumSquaredDeviation(row, c, shift: m) / Float(c) + epsilon).squareRoot()
        let o = out + r * c
        for i in 0..<c { o[i] = (row[i] - m) * s * weight[i] + bias[i] }
        mean[r] = m
        rstd[r] = s
      }
    }
  }

  /// dx[N,C] += ..., dweight[C] += sum dout*xhat, dbias[C] += sum dout
  static func layerNormBackward(
    dout: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>?,
    dweight: UnsafeMutablePointer<Float>?, dbias: UnsafeMutablePointer<Float>?,
    rows: Int, columns c: Int, pool: WorkerPool
  ) {
    if let dx {
      pool.forEachChunk(rows, grain: max(1, 2048 / max(c, 1))) { range in
        for r in range {
          let (g, xr, m, s) = (dout + r * c, x + r * c, mean[r], rstd[r])
          var meanG: Float = 0
          var meanGX: Float = 0
          for i in 0..<c {
            let gw = g[i] * weight[i]
            meanG += gw
            meanGX += gw * (xr[i] - m) * s
          }
          meanG /= Float(c)
          meanGX /= Float(c)
          let d = dx + r * c
          for i in 0..<c { d[i] += (g[i] * weight[i] - meanG - (xr[i] - m) * s * meanGX) * s }
        }
      }
    }
    if let dweight {
      addColumnSums(rows: rows, columns: c, into: dweight, pool: pool) { r, acc in
        let (g, xr, m, s) = (dout + r * c, x + r * c, mean[r], rstd[r])
        for i in 0..<c { acc[i] += g[i] * (xr[i] - m) * s }
      }
    }
    if let dbias {
      addColumnSums(rows: rows, columns: c, into: dbias, pool: pool) { r, acc in
        SIMDMath.axpy(1, dout + r * c, acc, c)
      }
    }
  }

  /// x[N,C] -> out = x * rstd * weight, rstd[N]
  static func rmsNormForward(
    _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, rows: Int, columns c: Int, epsilon: Float, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 4096 / max(c, 1))) { range in
      for r in range {
        let row = x + r * c
        let s = 1 / (SIMDMath.dot(row, row, c) / Float(c) + epsilon).squareRoot()
        let o = out + r * c
        for i in 0..<c { o[i] = row[i] * s * weight[i] }
        rstd[r] = s
      }
    }
  }

  /// dx[N,C] += ..., dweight[C] += sum dout * x * rstd
  static func rmsNormBackward(
    dout: UnsafePointer<Float>, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    rstd: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>?,
    rows: Int, columns c: Int, pool: WorkerPool
  ) {
    if let dx {
      pool.forEachChunk(rows, grain: max(1, 2048 / max(c, 1))) { range in
        for r in range {
          let (g, xr, s) = (dout + r * c, x + r * c, rstd[r])
          var dot: Float = 0
          for i in 0..<c { dot += g[i] * weight[i] * xr[i] }
          let k = dot * s * s * s / Float(c)
          let d = dx + r * c
          for i in 0..<c { d[i] += g[i] * weight[i] * s - k * xr[i] }
        }
      }
    }
    if let dweight {
      addColumnSums(rows: rows, columns: c, into: dweight, pool: pool) { r, acc in
        let (g, xr, s) = (dout + r * c, x + r * c, rstd[r])
        for i in 0..<c { acc[i] += g[i] * xr[i] * s }
      }
    }
  }

  /// One row of softmax in place over `c` elements; a row of all -infinity becomes zeros.
  @inline(__always) static func softmaxRow(_ row: UnsafeMutablePointer<Float>, _ c: Int) {
    let maxValue = SIMDMath.maximum(row, c)
    guard maxValue > -Float.infinity else {
      row.update(repeating: 0, count: c)
      return
    }
    let shift = SIMD8<Float>(repeating: maxValue)
    var sums = SIMD8<Float>()
    var i = 0
    let raw = UnsafeMutableRawPointer(row)
    while i + 8 <= c {
      let e = VectorMath.exp(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - shift)
      raw.storeBytes(of: e, toByteOffset: i * 4, as: SIMD8<Float>.self)
      sums += e
      i += 8
    }
    var sum = sums.sum()
    if i < c {
      var tail = SIMD8<Float>(repeating: -.infinity)
      for lane in 0..<(c - i) { tail[lane] = row[i + lane] }
      let e = VectorMath.exp(tail - shift)
      for lane in 0..<(c - i) {
        row[i + lane] = e[lane]
        sum += e[lane]
      }
    }
    let inv = 1 / sum
    for i in 0..<c { row[i] *= inv }
  }

  /// probs[N,C] = softmax(x) per row.
  static func softmaxForward(
    _ x: UnsafePointer<Float>, _ probs: UnsafeMutablePointer<Float>, rows: Int, columns c: Int,
    pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 4096 / max(c, 1))) { range in
      for r in range {
        if UnsafePointer(probs + r * c) != x + r * c { (probs + r * c).update(from: x + r * c, count: c) }
        softmaxRow(probs + r * c, c)
      }
    }
  }

  /// dx[N,C] += probs * (dout - rowdot(dout, probs))
  static func softmaxBackward(
    dout: UnsafePointer<Float>, probs: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
    rows: Int, columns c: Int, scale: Float = 1, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 4096 / max(c, 1))) { range in
      for r in range {
        let (g, p, d) = (dout + r * c, probs + r * c, dx + r * c)
        let dot = SIMDMath.dot(g, p, c)
        for i in 0..<c { d[i] += scale * p[i] * (g[i] - dot) }
      }
    }
  }

  /// x[B,T,C], keep[B,T] -> out[B,C]; backward when `dout`/`dx` are given instead.
  static func meanPool(
    x: UnsafePointer<Float>?, keep: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>?,
    dout: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>?, b: Int, t: Int, c: Int, pool: WorkerPool
  ) {
    pool.forEachChunk(b) { range in
      for bi in range {
        let weight = max(SIMDMath.sum(keep + bi * t, t), 1e-9)
        if let x, let out {
          (out + bi * c).update(repeating: 0, count: c)
          for ti in 0..<t where keep[bi * t + ti] != 0 {
            SIMDMath.axpy(keep[bi * t + ti] / weight, x + (bi * t + ti) * c, out + bi * c, c)
          }
        }
        if let dout, let dx {
          for ti in 0..<t where keep[bi * t + ti] != 0 {
            SIMDMath.axpy(keep[bi * t + ti] / weight, dout + bi * c, dx + (bi * t + ti) * c, c)
          }
        }
      }
    }
  }

  /// out[N,C] = x / max(|x|, eps), norm[N]
  static func l2NormalizeForward(
    _ x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, norm: UnsafeMutablePointer<Float>,
    rows: Int, columns c: Int, epsilon: Float, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 4096 / max(c, 1))) { range in
      for r in range {
        let n = max(SIMDMath.dot(x + r * c, x + r * c, c).squareRoot(), epsilon)
        for i in 0..<c { out[r * c + i] = x[r * c + i] / n }
        norm[r] = n
      }
    }
  }

  /// dx[N,C] += (dout - out * rowdot(out, dout)) / norm
  static func l2NormalizeBackward(
    dout: UnsafePointer<Float>, out: UnsafePointer<Float>, norm: UnsafePointer<Float>,
    dx: UnsafeMutablePointer<Float>, rows: Int, columns c: Int, epsilon: Float, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 4096 / max(c, 1))) { range in
      for r in range {
        let dot = norm[r] <= epsilon ? 0 : SIMDMath.dot(out + r * c, dout + r * c, c)
        for i in 0..<c { dx[r * c + i] += (dout[r * c + i] - out[r * c + i] * dot) / norm[r] }
      }
    }
  }
}
