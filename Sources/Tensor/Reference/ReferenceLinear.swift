// Reference matmul, linear, broadcasting add/mul, scale and embedding lookup, with their backward passes.
extension Reference {
  /// c[M,N] = alpha * op(a) op(b) + beta * c, op(a) [M,K] (a stored [K,M] when transposed), op(b) [K,N].
  public static func matmul<T: BinaryFloatingPoint>(
    _ a: [T], _ b: [T], _ c: [T], m: Int, n: Int, k: Int,
    transposeA: Bool, transposeB: Bool, alpha: T = 1, beta: T = 0
  ) -> [T] {
    var out = c
    for i in 0..<m {
      for j in 0..<n {
        var sum: T = 0
        for p in 0..<k {
          let av = transposeA ? a[p * m + i] : a[i * k + p]
          let bv = transposeB ? b[j * k + p] : b[p * n + j]
          sum += av * bv
        }
        out[i * n + j] = alpha * sum + beta * c[i * n + j]
      }
    }
    return out
  }

  /// Gradients of c = op(a) op(b) (alpha 1, beta 0) with respect to a and b, in their stored layouts.
  public static func matmulBackward<T: BinaryFloatingPoint>(
    dc: [T], _ a: [T], _ b: [T], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
  ) -> (da: [T], db: [T]) {
    var da = [T](repeating: 0, count: m * k)
    var db = [T](repeating: 0, count: k * n)
    for i in 0..<m {
      for j in 0..<n {
        let g = dc[i * n + j]
        for p in 0..<k {
          let ai = transposeA ? p * m + i : i * k + p
          let bi = transposeB ? j * k + p : p * n + j
          da[ai] += g * b[bi]
          db[bi] += g * a[ai]
        }
      }
    }
    return (da, db)
  }

  /// out[N,Out] = x[N,In] w[Out,In]^T + bias[Out]
  public static func linear<T: BinaryFloatingPoint>(
    _ x: [T], _ w: [T], _ bias: [T]?, n: Int, inDim: Int, outDim: Int
  ) -> [T] {
    var out = [T](repeating: 0, count: n * outDim)
    for r in 0..<n {
      for o in 0..<outDim {
        var sum: T = bias?[o] ?? 0
        for i in 0..<inDim { sum += x[r * inDim + i] * w[o * inDim + i] }
        out[r * outDim + o] = sum
      }
    }
    return out
  }

  /// dx[N,In], dw[Out,In], dbias[Out] of `linear`.
  public static func linearBackward<T: BinaryFloatingPoint>(
    dout: [T], _ x: [T], _ w: [T], n: Int, inDim: Int, outDim: Int
  ) -> (dx: [T], dw: [T], dbias: [T]) {
    var dx = [T](repeating: 0, count: n * inDim)
    var dw = [T](repeating: 0, count: outDim * inDim)
    var db = [T](repeating: 0, count: outDim)
    for r in 0..<n {
      for o in 0..<outDim {
        let g = dout[r * outDim + o]
        db[o] += g
        for i in 0..<inDim {
          dx[r * inDim + i] += g * w[o * inDim + i]
          dw[o * inDim + i] += g * x[r * inDim + i]
        }
      }
    }
    return (dx, dw, db)
  }

  /// out[outShape] = a + b (multiply when `multiply`), numpy broadcasting.
  public static func broadcastBinary<T: BinaryFloatingPoint>(
    _ a: [T], aShape: [Int], _ b: [T], bShape: [Int], outShape: [Int], multiply: Bool
  ) -> [T] {
    let ai = broadcastIndices(from: aShape, to: outShape)
    let bi = broadcastIndices(from: bShape, to: outShape)
    return ai.indices.map { multiply ? a[ai[$0]] * b[bi[$0]] : a[ai[$0]] + b[bi[$0]] }
  }

  /// da, db of `broadcastBinary`: gradients summed over the broadcast dimensions.
  public static func broadcastBinaryBackward<T: BinaryFloatingPoint>(
    dout: [T], _ a: [T], aShape: [Int], _ b: [T], bShape: [Int], outShape: [Int], multiply: Bool
  ) -> (da: [T], db: [T]) {
    let ai = broadcastIndices(from: aShape, to: outShape)
    let bi = broadcastIndices(from: bShape, to: outShape)
    var da = [T](repeating: 0, count: a.count)
    var db = [T](repeating: 0, count: b.count)
    for e in dout.indices {
      da[ai[e]] += multiply ? dout[e] * b[bi[e]] : dout[e]
      db[bi[e]] += multiply ? dout[e] * a[ai[e]] : dout[e]
    }
    return (da, db)
  }

  /// out[N,D] = table[ids[n], :]
  public static func embedding<T: BinaryFloatingPoint>(ids: [Int], table: [T], dim: Int) -> [T] {
    ids.flatMap { table[($0 * dim)..<($0 * dim + dim)] }
  }

  /// dtable[V,D]: rows of dout scatter-added at ids.
  public static func embeddingBackward<T: BinaryFloatingPoint>(
    dout: [T], ids: [Int], vocabulary: Int, dim: Int
  ) -> [T] {
    var dtable = [T](repeating: 0, count: vocabulary * dim)
    for (row, id) in ids.enumerated() {
      for d in 0..<dim { dtable[id * dim + d] += dout[row * dim + d] }
    }
    return dtable
  }
}

extension Reference {
  /// c[Bt,M,N] = op(a[Bt]) op(b[Bt]) for each batch entry.
  public static func batchedMatmul<T: BinaryFloatingPoint>(
    _ a: [T], _ b: [T], batch: Int, m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
  ) -> [T] {
    var out: [T] = []
    for i in 0..<batch {
      let aSlice = Array(a[(i * m * k)..<((i + 1) * m * k)])
      let bSlice = Array(b[(i * k * n)..<((i + 1) * k * n)])
      let zeros = [T](repeating: 0, count: m * n)
      out += matmul(
        aSlice, bSlice, zeros, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
    }
    return out
  }

  /// da, db of `batchedMatmul`.
  public static func batchedMatmulBackward<T: BinaryFloatingPoint>(
    dc: [T], _ a: [T], _ b: [T], batch: Int, m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
  ) -> (da: [T], db: [T]) {
    var da: [T] = []
    var db: [T] = []
    for i in 0..<batch {
      let g = matmulBackward(
        dc: Array(dc[(i * m * n)..<((i + 1) * m * n)]), Array(a[(i * m * k)..<((i + 1) * m * k)]),
        Array(b[(i * k * n)..<((i + 1) * k * n)]), m: m, n: n, k: k, transposeA: transposeA,
        transposeB: transposeB)
      da += g.da
      db += g.db
    }
    return (da, db)
  }

  /// out = factor * x
  public static func scale<T: BinaryFloatingPoint>(_ x: [T], factor: T) -> [T] { x.map { factor * $0 } }

  /// dx = factor * dout
  public static func scaleBackward<T: BinaryFloatingPoint>(dout: [T], factor: T) -> [T] {
    dout.map { factor * $0 }
  }
}
