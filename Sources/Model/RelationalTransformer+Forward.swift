// The forward pass: cell tokens, blocks (four relation attentions then SwiGLU, each pre-norm with a residual),
// final RMSNorm, and the three heads with their losses. Activations come from the caller's arena.
// Refuses: inputs built for another context length or feature width.
import Tensor

extension RelationalTransformer {
  func forward(_ input: ModelInput, arena: Arena, backend: any Backend, keepAttention: Bool = false) throws
    -> ForwardState
  {
    let (n, d) = (input.cellCount, config.width)
    guard input.features.shape == [n, config.featureWidth], input.contextLength == config.contextLength else {
      throw ModelError.invalidInput(
        what: "features", detail: "shape \(input.features.shape), expected [\(n), \(config.featureWidth)]")
    }
    let (b, l) = (input.batchSize, input.contextLength)
    let probs = try arena.tensor([b, config.heads, l, l])
    let scratch = try arena.tensor([n, d])
    var x = try arena.tensor([n, d])
    try backend.run(
      .linearForward(x: input.features, weight: self.input.weight.value, bias: self.input.bias.value, out: x))
    var attentions: [[AttentionSaved]] = []
    var ffns: [FeedForwardSaved] = []
    for block in blocks {
      var saved: [AttentionSaved] = []
      for (kind, weights) in zip(RelationKind.allCases, block.attentions) {
        let s = try attentionForward(
          weights, x: x, mask: input.masks[kind.rawValue], b: b, l: l, probs: probs, keep: keepAttention,
          arena: arena,
          backend: backend)
        saved.append(s)
        x = s.y
      }
      attentions.append(saved)
      let f = try feedForward(block.ffn, x: x, arena: arena, backend: backend)
      ffns.append(f)
      x = f.y
    }
    let final = try arena.tensor([n, d])
    let finalRstd = try arena.tensor([n])
    try backend.run(
      .rmsNormForward(x: x, weight: finalNorm.value, out: final, rstd: finalRstd, epsilon: config.normEpsilon)
    )
    var state = ForwardState(
      attentions: attentions, ffns: ffns, last: x, final: final, finalRstd: finalRstd, probs: probs,
      scratch: scratch)
    try headsForward(input, state: &state, arena: arena, backend: backend)
    return state
  }

  private func attentionForward(
    _ w: AttentionWeights, x: Tensor, mask: AttentionMask, b: Int, l: Int, probs shared: Tensor, keep: Bool,
    arena: Arena,
    backend: any Backend
  ) throws -> AttentionSaved {
    let (n, d) = (b * l, config.width)
    let a = { try arena.tensor([n, d]) }
    let s = AttentionSaved(
      x: x, n: try a(), rstd: try arena.tensor([n]), q: try a(), k: try a(), v: try a(), att: try a(),
      y: try a(), probs: keep ? try arena.tensor([b, config.heads, l, l]) : nil)
    try backend.run(
      .rmsNormForward(x: x, weight: w.norm.value, out: s.n, rstd: s.rstd, epsilon: config.normEpsilon))
    for (weight, out) in [(w.wq, s.q), (w.wk, s.k), (w.wv, s.v)] {
      try backend.run(.linearForward(x: s.n, weight: weight.value, bias: nil, out: out))
    }
    let shape = [b, l, d]
    try backend.run(
      .attentionForward(
        q: try s.q.reshaped(shape), k: try s.k.reshaped(shape), v: try s.v.reshaped(shape), mask: mask,
        heads: config.heads, out: try s.att.reshaped(shape), probs: s.probs ?? shared))
    try backend.run(.linearForward(x: s.att, weight: w.wo.value, bias: nil, out: s.y))
    try backend.run(.addForward(a: s.y, b: x, out: s.y))
    return s
  }

  private func feedForward(_ w: FeedForwardWeights, x: Tensor, arena: Arena, backend: any Backend) throws
    -> FeedForwardSaved
  {
    let (n, d, h) = (x.shape[0], config.width, config.ffnWidth)
    let s = FeedForwardSaved(
      x: x, n: try arena.tensor([n, d]), rstd: try arena.tensor([n]), u: try arena.tensor([n, 2 * h]),
      s: try arena.tensor([n, h]), y: try arena.tensor([n, d]))
    try backend.run(
      .rmsNormForward(x: x, weight: w.norm.value, out: s.n, rstd: s.rstd, epsilon: config.normEpsilon))
    try backend.run(.linearForward(x: s.n, weight: w.w1.value, bias: nil, out: s.u))
    try backend.run(.swigluForward(x: s.u, out: s.s))
    try backend.run(.linearForward(x: s.s, weight: w.w2.value, bias: nil, out: s.y))
    try backend.run(.addForward(a: s.y, b: x, out: s.y))
    return s
  }
}
