// Reference LayerNorm, RMSNorm, softmax, mean pooling and L2 normalisation, forward and backward.
extension Reference {
  /// x[N,C] -> out[N,C], mean[N], rstd[N] (biased variance, as PyTorch).
  public static func layerNorm<T: BinaryFloatingPoint>(
    _ x: [T], weight: [T], bias: [T], n: Int, c: Int, epsilon: T
  ) -> (out: [T], mean: [T], rstd: [T]) {
    var out = [T](repeating: 0, count: n * c)
    var means = [T](repeating: 0, count: n)
    var rstds = [T](repeating: 0, count: n)
    for r in 0..<n {
      let row = x[(r * c)..<(r * c + c)]
      let mean = row.reduce(0, +) / T(c)
      let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / T(c)
      let rstd = 1 / (variance + epsilon).squareRoot()
      for i in 0..<c { out[r * c + i] = (x[r * c + i] - mean) * rstd * weight[i] + bias[i] }
      means[r] = mean
      rstds[r] = rstd
    }
    return (out, means, rstds)
  }

  /// dx[N,C], dweight[C], dbias[C] of `layerNorm`.
  public static func layerNormBackward<T: BinaryFloatingPoint>(
    dout: [T], _ x: [T], weight: [T], mean: [T], rstd: [T], n: Int, c: Int
  ) -> (dx: [T], dweight: [T], dbias: [T]) {
    var dx = [T](repeating: 0, count: n * c)
    var dw = [T](repeating: 0, count: c)
    var db = [T](repeating: 0, count: c)
    for r in 0..<n {
      var meanG: T = 0
      var meanGX: T = 0
      for i in 0..<c {
        let xhat = (x[r * c + i] - mean[r]) * rstd[r]
        let g = dout[r * c + i] * weight[i]
        meanG += g
        meanGX += g * xhat
        dw[i] += dout[r * c + i] * xhat
        db[i] += dout[r * c + i]
      }
      meanG /= T(c)
      meanGX /= T(c)
      for i in 0..<c {
        let xhat = (x[r * c + i] - mean[r]) * rstd[r]
        let g = dout[r * c + i] * weight[i]
        dx[r * c + i] = (g - meanG - xhat * meanGX) * rstd[r]
      }
    }
    return (dx, dw, db)
  }

  /// x[N,C] -> out = x * rstd * weight, rstd[N] = 1 / sqrt(mean(x^2) + eps)
  public static func rmsNorm<T: BinaryFloatingPoint>(
    _ x: [T], weight: [T], n: Int, c: Int, epsilon: T
  ) -> (out: [T], rstd: [T]) {
    var out = [T](repeating: 0, count: n * c)
    var rstds = [T](repeating: 0, count: n)
    for r in 0..<n {
      let meanSquare = x[(r * c)..<(r * c + c)].reduce(0) { $0 + $1 * $1 } / T(c)
      let rstd = 1 / (meanSquare + epsilon).squareRoot()
      for i in 0..<c { out[r * c + i] = x[r * c + i] * rstd * weight[i] }
      rstds[r] = rstd
    }
    return (out, rstds)
  }

  /// dx[N,C], dweight[C] of `rmsNorm`.
  public static func rmsNormBackward<T: BinaryFloatingPoint>(
    dout: [T], _ x: [T], weight: [T], rstd: [T], n: Int, c: Int
  ) -> (dx: [T], dweight: [T]) {
    var dx = [T](repeating: 0, count: n * c)
    var dw = [T](repeating: 0, count: c)
    for r in 0..<n {
      var dot: T = 0
      for i in 0..<c {
        dot += dout[r * c + i] * weight[i] * x[r * c + i]
        dw[i] += dout[r * c + i] * x[r * c + i] * rstd[r]
      }
      let k = dot * rstd[r] * rstd[r] * rstd[r] / T(c)
      for i in 0..<c { dx[r * c + i] = dout[r * c + i] * weight[i] * rstd[r] - k * x[r * c + i] }
    }
    return (dx, dw)
  }

  /// probs[N,C] = softmax of each row; a row of all -infinity gives zeros.
  public static func softmax<T: BinaryFloatingPoint>(_ x: [T], n: Int, c: Int) -> [T] {
    var out = [T](repeating: 0, count: n * c)
    for r in 0..<n {
      let row = x[(r * c)..<(r * c + c)]
      guard let maxValue = row.max(), maxValue > -T.infinity else { continue }
      let exps = row.map { rExp($0 - maxValue) }
      let sum = exps.reduce(0, +)
      for i in 0..<c { out[r * c + i] = exps[i] / sum }
    }
    return out
  }

  /// dx[N,C] of `softmax` given its output.
  public static func softmaxBackward<T: BinaryFloatingPoint>(dout: [T], probs: [T], n: Int, c: Int) -> [T] {
    var dx = [T](repeating: 0, count: n * c)
    for r in 0..<n {
      var dot: T = 0
      for i in 0..<c { dot += dout[r * c + i] * probs[r * c + i] }
      for i in 0..<c { dx[r * c + i] = probs[r * c + i] * (dout[r * c + i] - dot) }
    }
    return dx
  }

  /// x[B,T,C], keep[B,T] -> out[B,C] = sum_t keep * x / max(sum_t keep, 1e-9)
  public static func meanPool<T: BinaryFloatingPoint>(_ x: [T], keep: [T], b: Int, t: Int, c: Int) -> [T] {
    var out = [T](repeating: 0, count: b * c)
    for bi in 0..<b {
      let weight = max(keep[(bi * t)..<(bi * t + t)].reduce(0, +), T(1e-9))
      for ti in 0..<t {
        for ci in 0..<c { out[bi * c + ci] += keep[bi * t + ti] * x[(bi * t + ti) * c + ci] / weight }
      }
    }
    return out
  }

  /// dx[B,T,C] of `meanPool`.
  public static func meanPoolBackward<T: BinaryFloatingPoint>(
    dout: [T], keep: [T], b: Int, t: Int, c: Int
  ) -> [T] {
    var dx = [T](repeating: 0, count: b * t * c)
    for bi in 0..<b {
      let weight = max(keep[(bi * t)..<(bi * t + t)].reduce(0, +), T(1e-9))
      for ti in 0..<t {
        for ci in 0..<c { dx[(bi * t + ti) * c + ci] = keep[bi * t + ti] * dout[bi * c + ci] / weight }
      }
    }
    return dx
  }

  /// out[N,C] = x / max(|x|, eps), norm[N] = max(|x|, eps)
  public static func l2Normalize<T: BinaryFloatingPoint>(_ x: [T], n: Int, c: Int, epsilon: T)
    -> (out: [T], norm: [T])
  {
    var out = [T](repeating: 0, count: n * c)
    var norms = [T](repeating: 0, count: n)
    for r in 0..<n {
      let norm = max(x[(r * c)..<(r * c + c)].reduce(0) { $0 + $1 * $1 }.squareRoot(), epsilon)
      for i in 0..<c { out[r * c + i] = x[r * c + i] / norm }
      norms[r] = norm
    }
    return (out, norms)
  }

  /// dx[N,C] of `l2Normalize` from its output and norm; below epsilon the norm is a constant.
  public static func l2NormalizeBackward<T: BinaryFloatingPoint>(
    dout: [T], out: [T], norm: [T], n: Int, c: Int, epsilon: T
  ) -> [T] {
    var dx = [T](repeating: 0, count: n * c)
    for r in 0..<n {
      var dot: T = 0
      for i in 0..<c { dot += out[r * c + i] * dout[r * c + i] }
      if norm[r] <= epsilon { dot = 0 }
      for i in 0..<c { dx[r * c + i] = (dout[r * c + i] - out[r * c + i] * dot) / norm[r] }
    }
    return dx
  }
}
