// Allocating forward helpers for inference (the MiniLM encoder): each allocates its output on the
// backend, runs one `OpCall`, and returns the output. Leading dimensions fold into rows, so a
// [B, T, C] activation goes straight into `linear` or `layerNorm`.
// Refuses: training bookkeeping; a training step keeps mean/rstd/probs and calls `run` with an arena.

extension Backend {
  /// out[..., Out] = x[..., In] weight[Out, In]^T + bias[Out] (PyTorch's nn.Linear layout).
  public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
    let (n, inDim) = x.rowsAndColumns
    let out = try allocate(shape: Array(x.shape.dropLast()) + [weight.shape.first ?? 0], dtype: .f32)
    try run(
      .linearForward(
        x: x.reshaped([n, inDim]), weight: weight, bias: bias,
        out: out.reshaped([n, out.rowsAndColumns.columns])))
    return out
  }

  /// out = a + b with broadcasting (b may be a row [C] for x [..., C]).
  public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try allocate(shape: try broadcastShape(a.shape, b.shape), dtype: .f32)
    try run(.addForward(a: a, b: b, out: out))
    return out
  }

  /// out = a * b with broadcasting.
  public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    let out = try allocate(shape: try broadcastShape(a.shape, b.shape), dtype: .f32)
    try run(.mulForward(a: a, b: b, out: out))
    return out
  }

  /// out = factor * x
  public func scale(_ x: Tensor, by factor: Float) throws -> Tensor {
    let out = try allocate(shape: x.shape, dtype: .f32)
    try run(.scaleForward(x: x, factor: factor, out: out))
    return out
  }

  /// out[..., D] = table[ids[...], :]; ids is i32 of any shape.
  public func embedding(ids: Tensor, table: Tensor) throws -> Tensor {
    let dim = table.shape.last ?? 0
    let out = try allocate(shape: ids.shape + [dim], dtype: .f32)
    try run(
      .embeddingForward(ids: ids.reshaped([ids.count]), table: table, out: out.reshaped([ids.count, dim])))
    return out
  }

  /// LayerNorm over the last axis (BERT: epsilon 1e-12).
  public func layerNorm(_ x: Tensor, weight: Tensor, bias: Tensor, epsilon: Float) throws -> Tensor {
    let out = try allocate(shape: x.shape, dtype: .f32)
    let stats = try allocate(shape: [2, x.rowsAndColumns.rows], dtype: .f32)
    try run(
      .layerNormForward(
        x: x, weight: weight, bias: bias, out: out,
        mean: stats.slice(axis: 0, 0..<1).reshaped([stats.shape[1]]),
        rstd: stats.slice(axis: 0, 1..<2).reshaped([stats.shape[1]]), epsilon: epsilon))
    return out
  }

  /// RMSNorm over the last axis.
  public func rmsNorm(_ x: Tensor, weight: Tensor, epsilon: Float) throws -> Tensor {
    let out = try allocate(shape: x.shape, dtype: .f32)
    let rstd = try allocate(shape: [x.rowsAndColumns.rows], dtype: .f32)
    try run(.rmsNormForward(x: x, weight: weight, out: out, rstd: rstd, epsilon: epsilon))
    return out
  }

  /// GELU (erf form by default, as BERT), tanh-GELU or SiLU, elementwise.
  public func activation(_ kind: Activation, _ x: Tensor) throws -> Tensor {
    let out = try allocate(shape: x.shape, dtype: .f32)
    try run(.activationForward(kind, x: x, out: out))
    return out
  }

  /// x[..., 2H] = [gate | up] -> silu(gate) * up [..., H]
  public func swiglu(_ x: Tensor) throws -> Tensor {
    let out = try allocate(shape: Array(x.shape.dropLast()) + [(x.shape.last ?? 0) / 2], dtype: .f32)
    try run(.swigluForward(x: x, out: out))
    return out
  }

  /// Softmax over the last axis.
  public func softmax(_ x: Tensor) throws -> Tensor {
    let out = try allocate(shape: x.shape, dtype: .f32)
    try run(.softmaxForward(x: x, probs: out))
    return out
  }

  /// Multi-head attention: q[B,Tq,H*Dh], k,v[B,Tk,H*Dh] -> [B,Tq,H*Dh]. Probabilities are discarded.
  public func attention(q: Tensor, k: Tensor, v: Tensor, heads: Int, mask: AttentionMask) throws -> Tensor {
    let out = try allocate(shape: q.shape, dtype: .f32)
    guard q.rank == 3, k.rank == 3 else {
      throw TensorError.shapeMismatch(what: "attention.q", expected: "[B, T, C]", found: q.shape)
    }
    let probs = try allocate(shape: [q.shape[0], heads, q.shape[1], k.shape[1]], dtype: .f32)
    try run(.attentionForward(q: q, k: k, v: v, mask: mask, heads: heads, out: out, probs: probs))
    return out
  }

  /// x[B,T,C], keep[B,T] (1 for real tokens) -> mean over kept tokens [B,C].
  public func meanPool(_ x: Tensor, keep: Tensor) throws -> Tensor {
    guard x.rank == 3 else {
      throw TensorError.shapeMismatch(what: "meanPool.x", expected: "[B, T, C]", found: x.shape)
    }
    let out = try allocate(shape: [x.shape[0], x.shape[2]], dtype: .f32)
    try run(.meanPoolForward(x: x, keep: keep, out: out))
    return out
  }

  /// Each row divided by max(its L2 norm, epsilon) (sentence-transformers: 1e-12).
  public func l2Normalize(_ x: Tensor, epsilon: Float = 1e-12) throws -> Tensor {
    let out = try allocate(shape: x.shape, dtype: .f32)
    let norm = try allocate(shape: [x.rowsAndColumns.rows], dtype: .f32)
    try run(.l2NormalizeForward(x: x, out: out, norm: norm, epsilon: epsilon))
    return out
  }

  /// The numpy broadcast of two shapes.
  public func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let rank = max(a.count, b.count)
    let pa = [Int](repeating: 1, count: rank - a.count) + a
    let pb = [Int](repeating: 1, count: rank - b.count) + b
    return try zip(pa, pb).map { x, y in
      guard x == y || x == 1 || y == 1 else {
        throw TensorError.shapeMismatch(what: "broadcast of \(a)", expected: "compatible with \(b)", found: a)
      }
      return x == 1 ? y : x
    }
  }
}

/// Builders for attention masks; build once per batch, share across layers and heads.
public enum AttentionMasks {
  /// An additive mask [Bm, Hm, Tq, Tk] from keep flags (true = may attend): 0 where kept, -inf else.
  public static func additive(
    fromKeep keep: [Bool], shape: [Int], on backend: some Backend
  ) throws -> AttentionMask {
    guard shape.count == 4, shape.reduce(1, *) == keep.count else {
      throw TensorError.shapeMismatch(
        what: "attention mask of \(keep.count) flags", expected: "[Bm, Hm, Tq, Tk]", found: shape)
    }
    let bias = try backend.tensor(keep.map { $0 ? 0 : -Float.infinity }, shape: shape)
    return .additive(bias)
  }

  /// A packed mask [Bm, Hm, Tq, ceil(Tk/32)] i32 from keep flags [Bm, Hm, Tq, Tk] (true = may attend).
  public static func packed(fromKeep keep: [Bool], shape: [Int], on backend: some Backend) throws
    -> AttentionMask
  {
    guard shape.count == 4, shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == keep.count else {
      throw TensorError.shapeMismatch(
        what: "attention mask of \(keep.count) flags", expected: "[Bm, Hm, Tq, Tk]", found: shape)
    }
    let keys = shape[3]
    let words = (keys + 31) / 32
    let rows = shape[0] * shape[1] * shape[2]
    var bits = [UInt32](repeating: 0, count: rows * words)
    for row in 0..<rows {
      for j in 0..<keys where keep[row * keys + j] { bits[row * words + j / 32] |= 1 << UInt32(j % 32) }
    }
    let tensor = try backend.tensor(
      ids: bits.map { Int32(bitPattern: $0) }, shape: [shape[0], shape[1], shape[2], words])
    return .packedKeep(tensor)
  }

  /// A key-padding mask keep[B, Tk] from per-sequence lengths: the first `lengths[b]` keys are kept.
  public static func keyPadding(lengths: [Int], keys: Int, on backend: some Backend) throws -> AttentionMask {
    var keep = [Float](repeating: 0, count: lengths.count * keys)
    for (b, length) in lengths.enumerated() {
      for t in 0..<min(max(length, 0), keys) { keep[b * keys + t] = 1 }
    }
    return .keyPadding(try backend.tensor(keep, shape: [lengths.count, keys]))
  }
}
