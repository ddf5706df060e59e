// The hand-written backward pass of the whole model, in reverse order of the forward: heads, final norm, blocks
// (feed-forward, then the four attentions last to first), the cell-token projection. Gradients accumulate into
// every parameter's `gradient` (zeroed by `step`). Two ping-pong buffers carry d(residual stream); the other
// scratch buffers are allocated once per step and zeroed before each use.
import Tensor

struct BackwardScratch {
  var dy: Tensor, dx: Tensor
  let datt: Tensor, dq: Tensor, dk: Tensor, dv: Tensor, dn: Tensor, du: Tensor, ds: Tensor
}

extension RelationalTransformer {
  func backward(_ input: ModelInput, state: ForwardState, arena: Arena, backend: any Backend) throws {
    let (n, d, h) = (input.cellCount, config.width, config.ffnWidth)
    let a = { try arena.tensor([n, d]) }
    var scratch = BackwardScratch(
      dy: try a(), dx: try a(), datt: try a(), dq: try a(), dk: try a(), dv: try a(), dn: try a(),
      du: try arena.tensor([n, 2 * h]), ds: try arena.tensor([n, h]))
    let dfinal = try a()
    try backend.zero(dfinal)
    try headsBackward(input, state: state, dfinal: dfinal, arena: arena, backend: backend)
    try backend.zero(scratch.dy)
    try backend.run(
      .rmsNormBackward(
        dout: dfinal, x: state.last, weight: finalNorm.value, rstd: state.finalRstd, dx: scratch.dy,
        dweight: finalNorm.gradient))
    for index in blocks.indices.reversed() {
      try feedForwardBackward(
        blocks[index].ffn, saved: state.ffns[index], scratch: &scratch, backend: backend)
      for kind in RelationKind.allCases.reversed() {
        try attentionBackward(
          blocks[index].attentions[kind.rawValue], saved: state.attentions[index][kind.rawValue],
          mask: input.masks[kind.rawValue], input: input, state: state, scratch: &scratch, backend: backend)
      }
    }
    try backend.run(
      .linearBackward(
        dout: scratch.dy, x: input.features, weight: self.input.weight.value, dx: nil,
        dweight: self.input.weight.gradient, dbias: self.input.bias.gradient))
  }

  /// scratch.dy holds d(output); leaves d(input) in scratch.dy.
  private func feedForwardBackward(
    _ w: FeedForwardWeights, saved s: FeedForwardSaved, scratch: inout BackwardScratch, backend: any Backend
  ) throws {
    try backend.zero(scratch.dx)
    try backend.run(.addBackward(dout: scratch.dy, da: scratch.dx, db: nil))
    try backend.zero(scratch.ds)
    try backend.run(
      .linearBackward(
        dout: scratch.dy, x: s.s, weight: w.w2.value, dx: scratch.ds, dweight: w.w2.gradient, dbias: nil))
    try backend.zero(scratch.du)
    try backend.run(.swigluBackward(dout: scratch.ds, x: s.u, dx: scratch.du))
    try backend.zero(scratch.dn)
    try backend.run(
      .linearBackward(
        dout: scratch.du, x: s.n, weight: w.w1.value, dx: scratch.dn, dweight: w.w1.gradient, dbias: nil))
    try backend.run(
      .rmsNormBackward(
        dout: scratch.dn, x: s.x, weight: w.norm.value, rstd: s.rstd, dx: scratch.dx, dweight: w.norm.gradient
      ))
    swap(&scratch.dx, &scratch.dy)
  }

  private func attentionBackward(
    _ w: AttentionWeights, saved s: AttentionSaved, mask: AttentionMask, input: ModelInput,
    state: ForwardState,
    scratch: inout BackwardScratch, backend: any Backend
  ) throws {
    let shape = [input.batchSize, input.contextLength, config.width]
    try backend.zero(scratch.dx)
    try backend.run(.addBackward(dout: scratch.dy, da: scratch.dx, db: nil))
    try backend.zero(scratch.datt)
    try backend.run(
      .linearBackward(
        dout: scratch.dy, x: s.att, weight: w.wo.value, dx: scratch.datt, dweight: w.wo.gradient, dbias: nil))
    let (q, k, v) = (try s.q.reshaped(shape), try s.k.reshaped(shape), try s.v.reshaped(shape))
    let probs = s.probs ?? state.probs
    if s.probs == nil {
      try backend.run(
        .attentionForward(
          q: q, k: k, v: v, mask: mask, heads: config.heads, out: try state.scratch.reshaped(shape),
          probs: probs))
    }
    for t in [scratch.dq, scratch.dk, scratch.dv] { try backend.zero(t) }
    try backend.run(
      .attentionBackward(
        dout: try scratch.datt.reshaped(shape), q: q, k: k, v: v, probs: probs, heads: config.heads,
        dq: try scratch.dq.reshaped(shape), dk: try scratch.dk.reshaped(shape),
        dv: try scratch.dv.reshaped(shape)))
    try backend.zero(scratch.dn)
    for (weight, grad) in [(w.wq, scratch.dq), (w.wk, scratch.dk), (w.wv, scratch.dv)] {
      try backend.run(
        .linearBackward(
          dout: grad, x: s.n, weight: weight.value, dx: scratch.dn, dweight: weight.gradient, dbias: nil))
    }
    try backend.run(
      .rmsNormBackward(
        dout: scratch.dn, x: s.x, weight: w.norm.value, rstd: s.rstd, dx: scratch.dx, dweight: w.norm.gradient
      ))
    swap(&scratch.dx, &scratch.dy)
  }
}
