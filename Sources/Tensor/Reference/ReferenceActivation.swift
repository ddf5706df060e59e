// Reference elementwise activations (GELU erf/tanh, SiLU), SwiGLU, scale and dropout.
extension Reference {
  /// f(x) for one element.
  public static func activation<T: BinaryFloatingPoint>(_ kind: Activation, _ x: T) -> T {
    switch kind {
    case .geluErf: return x * (1 + rErf(x / T(2).squareRoot())) / 2
    case .geluTanh:
      let inner = T(0.7978845608028654) * (x + T(0.044715) * x * x * x)
      return x * (1 + rTanh(inner)) / 2
    case .silu: return x * rSigmoid(x)
    }
  }

  /// f'(x) for one element.
  public static func activationDerivative<T: BinaryFloatingPoint>(_ kind: Activation, _ x: T) -> T {
    switch kind {
    case .geluErf:
      let pdf = rExp(-x * x / 2) / (2 * T.pi).squareRoot()
      return (1 + rErf(x / T(2).squareRoot())) / 2 + x * pdf
    case .geluTanh:
      let s = T(0.7978845608028654)
      let inner = s * (x + T(0.044715) * x * x * x)
      let th = rTanh(inner)
      return (1 + th) / 2 + x * (1 - th * th) * s * (1 + 3 * T(0.044715) * x * x) / 2
    case .silu:
      let sg = rSigmoid(x)
      return sg * (1 + x * (1 - sg))
    }
  }

  /// out = f(x) elementwise.
  public static func activation<T: BinaryFloatingPoint>(_ kind: Activation, _ x: [T]) -> [T] {
    x.map { activation(kind, $0) }
  }

  /// dx = dout * f'(x).
  public static func activationBackward<T: BinaryFloatingPoint>(_ kind: Activation, dout: [T], _ x: [T])
    -> [T]
  {
    zip(dout, x).map { $0 * activationDerivative(kind, $1) }
  }

  /// x[N,2H] = [gate | up] -> out[N,H] = silu(gate) * up
  public static func swiglu<T: BinaryFloatingPoint>(_ x: [T], n: Int, hidden: Int) -> [T] {
    var out = [T](repeating: 0, count: n * hidden)
    for r in 0..<n {
      for j in 0..<hidden {
        out[r * hidden + j] = activation(.silu, x[r * 2 * hidden + j]) * x[r * 2 * hidden + hidden + j]
      }
    }
    return out
  }

  /// dx[N,2H] of `swiglu`.
  public static func swigluBackward<T: BinaryFloatingPoint>(dout: [T], _ x: [T], n: Int, hidden: Int)
    -> [T]
  {
    var dx = [T](repeating: 0, count: n * 2 * hidden)
    for r in 0..<n {
      for j in 0..<hidden {
        let gate = x[r * 2 * hidden + j]
        let up = x[r * 2 * hidden + hidden + j]
        let g = dout[r * hidden + j]
        dx[r * 2 * hidden + j] = g * up * activationDerivative(.silu, gate)
        dx[r * 2 * hidden + hidden + j] = g * activation(.silu, gate)
      }
    }
    return dx
  }

  /// out = x * keep / (1 - p), keep from `DropoutMask` (the same on any thread count).
  public static func dropout<T: BinaryFloatingPoint>(_ x: [T], probability: Float, seed: UInt64) -> [T] {
    let scale = 1 / (1 - T(probability))
    return x.indices.map {
      DropoutMask.keeps(index: UInt64($0), seed: seed, probability: probability) ? x[$0] * scale : 0
    }
  }
}

extension Reference {
  /// dx = dout * keep / (1 - p): the same mask as the forward pass.
  public static func dropoutBackward<T: BinaryFloatingPoint>(dout: [T], probability: Float, seed: UInt64)
    -> [T]
  {
    dropout(dout, probability: probability, seed: seed)
  }
}
