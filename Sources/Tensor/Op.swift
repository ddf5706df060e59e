// The closed op set, and the calls a backend runs. Adding a case to `Op` breaks the build wherever it
// must be handled (backends, shape checks, tests that walk `Op.allCases`).
// Conventions for every call:
//   - tensors are dense row-major f32 (ids and class targets: i32); leading dims fold into rows.
//   - forward calls write their outputs (and what backward needs: mean, rstd, probs) in place.
//   - backward calls ADD into gradient buffers (`+=`); zero them before a step. A nil gradient is skipped.
//   - in place (out == x) is allowed for elementwise forwards (add, mul, scale, activations, dropout) and
//     row forwards (layerNorm, rmsNorm, softmax, l2Normalize); not for matmul, linear, swiglu, embedding,
//     attention, pooling or the losses.
// Refuses: hidden allocation; a backend allocates nothing inside `run`.

/// Every op of the engine.
public enum Op: String, Sendable, CaseIterable {
  case matmul, batchedMatmul, linear
  case add, mul, scale
  case embedding
  case layerNorm, rmsNorm
  case geluErf, geluTanh, silu, swiglu
  case softmax, attention
  case meanPool, l2Normalize, dropout
  case huberLoss, bceWithLogits, crossEntropy, infoNCE
}

/// Elementwise activations that share one call shape.
public enum Activation: String, Sendable, CaseIterable {
  /// x * Phi(x) with the exact normal CDF (BERT).
  case geluErf
  /// The tanh approximation of GELU (GPT-2).
  case geluTanh
  /// x * sigmoid(x).
  case silu

  public var op: Op {
    switch self {
    case .geluErf: return .geluErf
    case .geluTanh: return .geluTanh
    case .silu: return .silu
    }
  }
}

/// Which keys each query may attend to. Masks are built once per batch and shared by every layer.
public enum AttentionMask: Sendable {
  /// Every query sees every key.
  case none
  /// keep[B, Tk]: 1 keeps a key, 0 hides it from every query (BERT padding).
  case keyPadding(Tensor)
  /// bias[Bm, Hm, Tq, Tk] added to the scores before softmax; Bm is 1 or B, Hm is 1 or H.
  /// Hidden positions hold -infinity (see `AttentionMasks.additive(fromKeep:)`).
  case additive(Tensor)
  /// keepBits[Bm, Hm, Tq, ceil(Tk/32)] i32: bit (j % 32) of word (j / 32) set means key j is visible.
  /// The same as `.additive` with 0 / -inf, 32 times smaller (4 MiB instead of 128 MiB per mask at
  /// B=32, T=1024): the form for the relational transformer's per-batch masks.
  case packedKeep(Tensor)
}

/// One op invocation: the op, its pass, and every tensor it reads or writes.
public enum OpCall: Sendable {
  // c[M,N] = alpha * op(a) op(b) + beta * c; op(a) is [M,K], op(b) is [K,N]. Backward is two matmuls.
  case matmul(a: Tensor, b: Tensor, c: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float)
  // The same over a leading batch dimension: a[Bt,.,.], b[Bt,.,.], c[Bt,M,N].
  case batchedMatmul(
    a: Tensor, b: Tensor, c: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float)

  // out[N,Out] = x[N,In] weight[Out,In]^T + bias[Out]
  case linearForward(x: Tensor, weight: Tensor, bias: Tensor?, out: Tensor)
  case linearBackward(
    dout: Tensor, x: Tensor, weight: Tensor, dx: Tensor?, dweight: Tensor?, dbias: Tensor?)

  // out = a + b (numpy broadcasting of a and b to out's shape)
  case addForward(a: Tensor, b: Tensor, out: Tensor)
  case addBackward(dout: Tensor, da: Tensor?, db: Tensor?)
  // out = a * b (broadcasting)
  case mulForward(a: Tensor, b: Tensor, out: Tensor)
  case mulBackward(dout: Tensor, a: Tensor, b: Tensor, da: Tensor?, db: Tensor?)
  // out = factor * x
  case scaleForward(x: Tensor, factor: Float, out: Tensor)
  case scaleBackward(dout: Tensor, factor: Float, dx: Tensor)

  // out[N,D] = table[ids[n], :]; ids i32 [N]. Backward scatter-adds rows into dtable[V,D].
  case embeddingForward(ids: Tensor, table: Tensor, out: Tensor)
  case embeddingBackward(dout: Tensor, ids: Tensor, dtable: Tensor)

  // x[N,C] -> out[N,C], mean[N], rstd[N]
  case layerNormForward(
    x: Tensor, weight: Tensor, bias: Tensor, out: Tensor, mean: Tensor, rstd: Tensor, epsilon: Float)
  case layerNormBackward(
    dout: Tensor, x: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor,
    dx: Tensor?, dweight: Tensor?, dbias: Tensor?)
  // x[N,C] -> out[N,C] = x * rstd * weight, rstd[N]
  case rmsNormForward(x: Tensor, weight: Tensor, out: Tensor, rstd: Tensor, epsilon: Float)
  case rmsNormBackward(
    dout: Tensor, x: Tensor, weight: Tensor, rstd: Tensor, dx: Tensor?, dweight: Tensor?)

  // out = f(x), elementwise
  case activationForward(Activation, x: Tensor, out: Tensor)
  case activationBackward(Activation, dout: Tensor, x: Tensor, dx: Tensor)
  // x[N,2H] = [gate | up] -> out[N,H] = silu(gate) * up
  case swigluForward(x: Tensor, out: Tensor)
  case swigluBackward(dout: Tensor, x: Tensor, dx: Tensor)

  // probs[N,C] = softmax over the last axis of x[N,C]
  case softmaxForward(x: Tensor, probs: Tensor)
  case softmaxBackward(dout: Tensor, probs: Tensor, dx: Tensor)
  // q[B,Tq,H*Dh], k,v[B,Tk,H*Dh] -> out[B,Tq,H*Dh], probs[B,H,Tq,Tk]; scores scaled by 1/sqrt(Dh).
  // A query whose keys are all masked gets zero probabilities and a zero output.
  case attentionForward(
    q: Tensor, k: Tensor, v: Tensor, mask: AttentionMask, heads: Int, out: Tensor, probs: Tensor)
  case attentionBackward(
    dout: Tensor, q: Tensor, k: Tensor, v: Tensor, probs: Tensor, heads: Int,
    dq: Tensor?, dk: Tensor?, dv: Tensor?)

  // x[B,T,C], keep[B,T] (0/1 weights) -> out[B,C] = sum_t keep*x / max(sum_t keep, 1e-9)
  case meanPoolForward(x: Tensor, keep: Tensor, out: Tensor)
  case meanPoolBackward(dout: Tensor, keep: Tensor, dx: Tensor)
  // out[N,C] = x / max(|x|, epsilon), norm[N] = max(|x|, epsilon)
  case l2NormalizeForward(x: Tensor, out: Tensor, norm: Tensor, epsilon: Float)
  case l2NormalizeBackward(dout: Tensor, out: Tensor, norm: Tensor, epsilon: Float, dx: Tensor)
  // out = x * keep / (1 - p), keep drawn from (seed, element index): the same on any thread count.
  case dropoutForward(x: Tensor, out: Tensor, probability: Float, seed: UInt64)
  case dropoutBackward(dout: Tensor, dx: Tensor, probability: Float, seed: UInt64)

  // loss[1] = mean over n of huber(pred[n] - target[n]; delta)
  case huberLossForward(pred: Tensor, target: Tensor, delta: Float, loss: Tensor)
  case huberLossBackward(pred: Tensor, target: Tensor, delta: Float, dloss: Float, dpred: Tensor)
  // loss[1] = mean BCE(sigmoid(logits[n]), targets[n]); targets in [0, 1]
  case bceWithLogitsForward(logits: Tensor, targets: Tensor, loss: Tensor)
  case bceWithLogitsBackward(logits: Tensor, targets: Tensor, dloss: Float, dlogits: Tensor)
  // logits[N,C], targets i32 [N] (negative = ignored) -> loss[1] (mean over kept rows), probs[N,C]
  case crossEntropyForward(logits: Tensor, targets: Tensor, loss: Tensor, probs: Tensor)
  case crossEntropyBackward(probs: Tensor, targets: Tensor, dloss: Float, dlogits: Tensor)
  // logits[N,M] = queries[N,D] candidates[M,D]^T / temperature, then cross-entropy against targets[N]
  case infoNCEForward(
    queries: Tensor, candidates: Tensor, targets: Tensor, temperature: Float, loss: Tensor, probs: Tensor)
  case infoNCEBackward(
    queries: Tensor, candidates: Tensor, probs: Tensor, targets: Tensor, temperature: Float,
    dloss: Float, dqueries: Tensor?, dcandidates: Tensor?)
}
