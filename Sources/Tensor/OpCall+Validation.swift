// Shape and dtype checks for every `OpCall`, run by each backend before it touches memory, so kernels
// can use unchecked pointers. The null backend runs only these checks.
// Refuses: guessing; a call whose shapes disagree is an error naming the op and the argument.

extension OpCall {
  /// The op this call belongs to.
  public var op: Op {
    switch self {
    case .matmul: return .matmul
    case .batchedMatmul: return .batchedMatmul
    case .linearForward, .linearBackward: return .linear
    case .addForward, .addBackward: return .add
    case .mulForward, .mulBackward: return .mul
    case .scaleForward, .scaleBackward: return .scale
    case .embeddingForward, .embeddingBackward: return .embedding
    case .layerNormForward, .layerNormBackward: return .layerNorm
    case .rmsNormForward, .rmsNormBackward: return .rmsNorm
    case .activationForward(let kind, _, _), .activationBackward(let kind, _, _, _): return kind.op
    case .swigluForward, .swigluBackward: return .swiglu
    case .softmaxForward, .softmaxBackward: return .softmax
    case .attentionForward, .attentionBackward: return .attention
    case .meanPoolForward, .meanPoolBackward: return .meanPool
    case .l2NormalizeForward, .l2NormalizeBackward: return .l2Normalize
    case .dropoutForward, .dropoutBackward: return .dropout
    case .huberLossForward, .huberLossBackward: return .huberLoss
    case .bceWithLogitsForward, .bceWithLogitsBackward: return .bceWithLogits
    case .crossEntropyForward, .crossEntropyBackward: return .crossEntropy
    case .infoNCEForward, .infoNCEBackward: return .infoNCE
    }
  }

  /// Throws unless every tensor has the dtype, density and shape the call needs.
  public func validate() throws {
    let check = ShapeCheck(op: op)
    switch self {
    case .matmul(let a, let b, let c, let ta, let tb, _, _):
      _ = try check.matmul(a, b, c, ta, tb, batched: false)
    case .batchedMatmul(let a, let b, let c, let ta, let tb, _, _):
      _ = try check.matmul(a, b, c, ta, tb, batched: true)
    case .linearForward(let x, let w, let bias, let out):
      let (n, inDim) = try check.matrix(x, "x")
      let outDim = try check.rows(w, "weight", columns: inDim)
      try check.optional(bias, "bias", [outDim])
      try check.f32(out, "out", [n, outDim])
    case .linearBackward(let dout, let x, let w, let dx, let dw, let db):
      let (n, inDim) = try check.matrix(x, "x")
      let outDim = try check.rows(w, "weight", columns: inDim)
      try check.f32(dout, "dout", [n, outDim])
      try check.optional(dx, "dx", [n, inDim])
      try check.optional(dw, "dweight", [outDim, inDim])
      try check.optional(db, "dbias", [outDim])
    case .addForward(let a, let b, let out), .mulForward(let a, let b, let out):
      try check.broadcast(a, "a", to: out)
      try check.broadcast(b, "b", to: out)
    case .addBackward(let dout, let da, let db):
      try check.f32(dout, "dout", dout.shape)
      if let da { try check.broadcast(da, "da", to: dout) }
      if let db { try check.broadcast(db, "db", to: dout) }
    case .mulBackward(let dout, let a, let b, let da, let db):
      try check.broadcast(a, "a", to: dout)
      try check.broadcast(b, "b", to: dout)
      try check.optional(da, "da", a.shape)
      try check.optional(db, "db", b.shape)
    case .scaleForward(let x, _, let out):
      try check.same(x, "x", out, "out")
    case .scaleBackward(let dout, _, let dx):
      try check.same(dout, "dout", dx, "dx")
    case .embeddingForward(let ids, let table, let out):
      let (_, d) = try check.matrix(table, "table")
      try check.i32(ids, "ids")
      try check.f32(out, "out", [ids.count, d])
    case .embeddingBackward(let dout, let ids, let dtable):
      let (_, d) = try check.matrix(dtable, "dtable")
      try check.i32(ids, "ids")
      try check.f32(dout, "dout", [ids.count, d])
    case .layerNormForward, .layerNormBackward, .rmsNormForward, .rmsNormBackward,
      .activationForward, .activationBackward, .swigluForward, .swigluBackward,
      .softmaxForward, .softmaxBackward:
      try validateRest(check)
    case .attentionForward, .attentionBackward, .meanPoolForward, .meanPoolBackward,
      .l2NormalizeForward, .l2NormalizeBackward, .dropoutForward, .dropoutBackward,
      .huberLossForward, .huberLossBackward, .bceWithLogitsForward, .bceWithLogitsBackward,
      .crossEntropyForward, .crossEntropyBackward, .infoNCEForward, .infoNCEBackward:
      try validateAttentionAndLosses(check)
    }
  }

  private func validateRest(_ check: ShapeCheck) throws {
    switch self {
    case .layerNormForward(let x, let w, let b, let out, let mean, let rstd, _):
      let (n, c) = try check.rowsOf(x, "x")
      try check.f32(w, "weight", [c])
      try check.f32(b, "bias", [c])
      try check.same(x, "x", out, "out")
      try check.f32(mean, "mean", [n])
      try check.f32(rstd, "rstd", [n])
    case .layerNormBackward(let dout, let x, let w, let mean, let rstd, let dx, let dw, let db):
      let (n, c) = try check.rowsOf(x, "x")
      try check.same(x, "x", dout, "dout")
      try check.f32(w, "weight", [c])
      try check.f32(mean, "mean", [n])
      try check.f32(rstd, "rstd", [n])
      try check.optional(dx, "dx", x.shape)
      try check.optional(dw, "dweight", [c])
      try check.optional(db, "dbias", [c])
    case .rmsNormForward(let x, let w, let out, let rstd, _):
      let (n, c) = try check.rowsOf(x, "x")
      try check.f32(w, "weight", [c])
      try check.same(x, "x", out, "out")
      try check.f32(rstd, "rstd", [n])
    case .rmsNormBackward(let dout, let x, let w, let rstd, let dx, let dw):
      let (n, c) = try check.rowsOf(x, "x")
      try check.same(x, "x", dout, "dout")
      try check.f32(w, "weight", [c])
      try check.f32(rstd, "rstd", [n])
      try check.optional(dx, "dx", x.shape)
      try check.optional(dw, "dweight", [c])
    case .activationForward(_, let x, let out):
      try check.same(x, "x", out, "out")
    case .activationBackward(_, let dout, let x, let dx):
      try check.same(x, "x", dout, "dout")
      try check.same(x, "x", dx, "dx")
    case .swigluForward(let x, let out):
      try check.swiglu(x, out)
    case .swigluBackward(let dout, let x, let dx):
      try check.swiglu(x, dout)
      try check.same(x, "x", dx, "dx")
    case .softmaxForward(let x, let probs):
      try check.same(x, "x", probs, "probs")
    case .softmaxBackward(let dout, let probs, let dx):
      try check.same(probs, "probs", dout, "dout")
      try check.same(probs, "probs", dx, "dx")
    default:
      return  // routed here by validate(); the other cases never arrive
    }
  }

  private func validateAttentionAndLosses(_ check: ShapeCheck) throws {
    switch self {
    case .attentionForward(let q, let k, let v, let mask, let heads, let out, let probs):
      let dims = try check.attention(q, k, v, heads: heads)
      try check.same(q, "q", out, "out")
      try check.f32(probs, "probs", [dims.batch, heads, dims.queries, dims.keys])
      try check.mask(mask, dims, heads: heads)
    case .attentionBackward(let dout, let q, let k, let v, let probs, let heads, let dq, let dk, let dv):
      let dims = try check.attention(q, k, v, heads: heads)
      try check.same(q, "q", dout, "dout")
      try check.f32(probs, "probs", [dims.batch, heads, dims.queries, dims.keys])
      try check.optional(dq, "dq", q.shape)
      try check.optional(dk, "dk", k.shape)
      try check.optional(dv, "dv", v.shape)
    case .meanPoolForward(let x, let keep, let out):
      let (b, t, c) = try check.rank3(x, "x")
      try check.f32(keep, "keep", [b, t])
      try check.f32(out, "out", [b, c])
    case .meanPoolBackward(let dout, let keep, let dx):
      let (b, t, c) = try check.rank3(dx, "dx")
      try check.f32(keep, "keep", [b, t])
      try check.f32(dout, "dout", [b, c])
    case .l2NormalizeForward(let x, let out, let norm, _):
      let (n, _) = try check.rowsOf(x, "x")
      try check.same(x, "x", out, "out")
      try check.f32(norm, "norm", [n])
    case .l2NormalizeBackward(let dout, let out, let norm, _, let dx):
      let (n, _) = try check.rowsOf(out, "out")
      try check.same(out, "out", dout, "dout")
      try check.same(out, "out", dx, "dx")
      try check.f32(norm, "norm", [n])
    case .dropoutForward(let x, let out, let p, _):
      try check.same(x, "x", out, "out")
      try check.probability(p)
    case .dropoutBackward(let dout, let dx, let p, _):
      try check.same(dout, "dout", dx, "dx")
      try check.probability(p)
    case .huberLossForward(let pred, let target, _, let loss),
      .bceWithLogitsForward(let pred, let target, let loss):
      try check.same(pred, "prediction", target, "target")
      try check.f32(loss, "loss", [1])
    case .huberLossBackward(let pred, let target, _, _, let dpred),
      .bceWithLogitsBackward(let pred, let target, _, let dpred):
      try check.same(pred, "prediction", target, "target")
      try check.same(pred, "prediction", dpred, "gradient")
    case .crossEntropyForward(let logits, let targets, let loss, let probs):
      let (n, _) = try check.matrix(logits, "logits")
      try check.i32(targets, "targets", [n])
      try check.f32(loss, "loss", [1])
      try check.same(logits, "logits", probs, "probs")
    case .crossEntropyBackward(let probs, let targets, _, let dlogits):
      let (n, _) = try check.matrix(probs, "probs")
      try check.i32(targets, "targets", [n])
      try check.same(probs, "probs", dlogits, "dlogits")
    case .infoNCEForward(let queries, let candidates, let targets, let temperature, let loss, let probs):
      let (n, d) = try check.matrix(queries, "queries")
      let m = try check.rows(candidates, "candidates", columns: d)
      try check.i32(targets, "targets", [n])
      try check.f32(loss, "loss", [1])
      try check.f32(probs, "probs", [n, m])
      try check.positive(temperature, "temperature")
    case .infoNCEBackward(
      let queries, let candidates, let probs, let targets, let temperature, _, let dq, let dc):
      let (n, d) = try check.matrix(queries, "queries")
      let m = try check.rows(candidates, "candidates", columns: d)
      try check.i32(targets, "targets", [n])
      try check.f32(probs, "probs", [n, m])
      try check.positive(temperature, "temperature")
      try check.optional(dq, "dqueries", [n, d])
      try check.optional(dc, "dcandidates", [m, d])
    default:
      return  // routed here by validate(); the other cases never arrive
    }
  }
}
