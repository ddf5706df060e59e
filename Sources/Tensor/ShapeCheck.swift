// Helpers behind `OpCall.validate()`: each checks one tensor and throws a `TensorError` naming the op
// and argument. Refuses: strided views and wrong dtypes (kernels assume dense f32 / i32).

/// The dimensions of an attention call.
struct AttentionDims {
  let batch: Int, queries: Int, keys: Int, channels: Int
}

struct ShapeCheck {
  let op: Op

  private func name(_ what: String) -> String { "\(op).\(what)" }

  /// Dense f32 with exactly `shape`.
  func f32(_ t: Tensor, _ what: String, _ shape: [Int]) throws {
    try dense(t, what, .f32)
    guard t.shape == shape else {
      throw TensorError.shapeMismatch(what: name(what), expected: "\(shape)", found: t.shape)
    }
  }

  func optional(_ t: Tensor?, _ what: String, _ shape: [Int]) throws {
    if let t { try f32(t, what, shape) }
  }

  /// Dense i32, optionally with exactly `shape`.
  func i32(_ t: Tensor, _ what: String, _ shape: [Int]? = nil) throws {
    try dense(t, what, .i32)
    if let shape, t.shape != shape {
      throw TensorError.shapeMismatch(what: name(what), expected: "\(shape)", found: t.shape)
    }
  }

  private func dense(_ t: Tensor, _ what: String, _ dtype: DType) throws {
    guard t.dtype == dtype else {
      throw TensorError.dtypeMismatch(what: name(what), expected: dtype, found: t.dtype)
    }
    guard t.isContiguous else { throw TensorError.notContiguous(what: name(what)) }
    guard t.isInBounds else {
      throw TensorError.invalidArgument(what: name(what), detail: "view runs past its storage")
    }
  }

  /// Dense f32 rank-2; returns (rows, columns).
  func matrix(_ t: Tensor, _ what: String) throws -> (Int, Int) {
    guard t.rank == 2 else {
      throw TensorError.shapeMismatch(what: name(what), expected: "[rows, columns]", found: t.shape)
    }
    try f32(t, what, t.shape)
    return (t.shape[0], t.shape[1])
  }

  /// Dense f32 rank-2 with `columns` columns; returns the rows.
  func rows(_ t: Tensor, _ what: String, columns: Int) throws -> Int {
    let (r, c) = try matrix(t, what)
    guard c == columns else {
      throw TensorError.shapeMismatch(what: name(what), expected: "[_, \(columns)]", found: t.shape)
    }
    return r
  }

  /// Dense f32 of rank >= 1, leading dims folded into rows.
  func rowsOf(_ t: Tensor, _ what: String) throws -> (Int, Int) {
    guard t.rank >= 1 else {
      throw TensorError.shapeMismatch(what: name(what), expected: "[..., C]", found: t.shape)
    }
    try f32(t, what, t.shape)
    return t.rowsAndColumns
  }

  func rank3(_ t: Tensor, _ what: String) throws -> (Int, Int, Int) {
    guard t.rank == 3 else {
      throw TensorError.shapeMismatch(what: name(what), expected: "[B, T, C]", found: t.shape)
    }
    try f32(t, what, t.shape)
    return (t.shape[0], t.shape[1], t.shape[2])
  }

  func same(_ a: Tensor, _ aName: String, _ b: Tensor, _ bName: String) throws {
    try f32(a, aName, a.shape)
    try f32(b, bName, a.shape)
  }

  /// `t` broadcasts (numpy rules) to `target`'s shape.
  func broadcast(_ t: Tensor, _ what: String, to target: Tensor) throws {
    try f32(t, what, t.shape)
    try f32(target, "out", target.shape)
    let lead = target.rank - t.rank
    guard lead >= 0,
      t.shape.indices.allSatisfy({ t.shape[$0] == 1 || t.shape[$0] == target.shape[$0 + lead] })
    else {
      throw TensorError.shapeMismatch(
        what: name(what), expected: "broadcastable to \(target.shape)", found: t.shape)
    }
  }

  /// Returns (M, N, K) after checking a, b, c of a (batched) matmul.
  func matmul(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ ta: Bool, _ tb: Bool, batched: Bool) throws
    -> (Int, Int, Int)
  {
    let lead = batched ? 1 : 0
    for (t, what) in [(a, "a"), (b, "b"), (c, "c")] {
      guard t.rank == 2 + lead else {
        throw TensorError.shapeMismatch(
          what: name(what), expected: batched ? "[batch, rows, columns]" : "[rows, columns]",
          found: t.shape)
      }
      try f32(t, what, t.shape)
    }
    let (m, k) = ta ? (a.shape[lead + 1], a.shape[lead]) : (a.shape[lead], a.shape[lead + 1])
    let (kb, n) = tb ? (b.shape[lead + 1], b.shape[lead]) : (b.shape[lead], b.shape[lead + 1])
    guard kb == k else {
      throw TensorError.shapeMismatch(what: name("b"), expected: "inner dimension \(k)", found: b.shape)
    }
    let expectedC = (batched ? [a.shape[0]] : []) + [m, n]
    try f32(c, "c", expectedC)
    if batched, b.shape[0] != a.shape[0] {
      throw TensorError.shapeMismatch(what: name("b"), expected: "batch \(a.shape[0])", found: b.shape)
    }
    return (m, n, k)
  }

  func swiglu(_ x: Tensor, _ out: Tensor) throws {
    let (_, c) = try rowsOf(x, "x")
    guard c % 2 == 0 else {
      throw TensorError.shapeMismatch(what: name("x"), expected: "[..., 2H]", found: x.shape)
    }
    try f32(out, "out", Array(x.shape.dropLast()) + [c / 2])
  }

  func attention(_ q: Tensor, _ k: Tensor, _ v: Tensor, heads: Int) throws -> AttentionDims {
    let (b, tq, c) = try rank3(q, "q")
    let (bk, tk, ck) = try rank3(k, "k")
    guard bk == b, ck == c else {
      throw TensorError.shapeMismatch(what: name("k"), expected: "[\(b), Tk, \(c)]", found: k.shape)
    }
    try f32(v, "v", k.shape)
    guard heads > 0, c % heads == 0 else {
      throw TensorError.invalidArgument(what: name("heads"), detail: "\(heads) heads do not divide \(c)")
    }
    return AttentionDims(batch: b, queries: tq, keys: tk, channels: c)
  }

  func mask(_ mask: AttentionMask, _ dims: AttentionDims, heads: Int) throws {
    switch mask {
    case .none: return
    case .keyPadding(let keep):
      try f32(keep, "mask", [dims.batch, dims.keys])
    case .additive(let bias):
      guard bias.rank == 4, bias.shape[0] == 1 || bias.shape[0] == dims.batch,
        bias.shape[1] == 1 || bias.shape[1] == heads,
        bias.shape[2] == dims.queries, bias.shape[3] == dims.keys
      else {
        throw TensorError.shapeMismatch(
          what: name("mask"), expected: "[1|\(dims.batch), 1|\(heads), \(dims.queries), \(dims.keys)]",
          found: bias.shape)
      }
      try f32(bias, "mask", bias.shape)
    case .packedKeep(let bits):
      let words = (dims.keys + 31) / 32
      guard bits.rank == 4, bits.shape[0] == 1 || bits.shape[0] == dims.batch,
        bits.shape[1] == 1 || bits.shape[1] == heads, bits.shape[2] == dims.queries, bits.shape[3] == words
      else {
        throw TensorError.shapeMismatch(
          what: name("mask"), expected: "[1|\(dims.batch), 1|\(heads), \(dims.queries), \(words)] i32",
          found: bits.shape)
      }
      try i32(bits, "mask")
    }
  }

  func probability(_ p: Float) throws {
    guard p >= 0, p < 1 else {
      throw TensorError.invalidArgument(what: name("probability"), detail: "\(p) is not in [0, 1)")
    }
  }

  func positive(_ value: Float, _ what: String) throws {
    guard value > 0, value.isFinite else {
      throw TensorError.invalidArgument(what: name(what), detail: "\(value) is not a positive number")
    }
  }
}
