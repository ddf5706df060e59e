// The heads over the final normalized rows of the loss cells: regression (Huber), binary (BCE with logits) and
// contrastive (InfoNCE of a query projection against projected vocabulary embeddings of the candidates), with
// their backward passes into the final rows' gradient.
import Tensor

extension RelationalTransformer {
  func headsForward(_ input: ModelInput, state: inout ForwardState, arena: Arena, backend: any Backend) throws
  {
    let d = config.width
    func gather(_ ids: Tensor) throws -> Tensor {
      let g = try arena.tensor([ids.count, d])
      try backend.run(.embeddingForward(ids: ids, table: state.final, out: g))
      return g
    }
    if let ids = input.regressionCells, let targets = input.regressionTargets {
      let g = try gather(ids)
      let pred = try arena.tensor([ids.count, 1])
      let loss = try arena.tensor([1])
      try backend.run(
        .linearForward(x: g, weight: regression.weight.value, bias: regression.bias.value, out: pred))
      try backend.run(
        .huberLossForward(
          pred: try pred.reshaped([ids.count]), target: targets, delta: config.huberDelta, loss: loss))
      state.regression = HeadSaved(gathered: g, output: pred, loss: loss)
    }
    if let ids = input.binaryCells, let targets = input.binaryTargets {
      let g = try gather(ids)
      let logits = try arena.tensor([ids.count, 1])
      let loss = try arena.tensor([1])
      try backend.run(.linearForward(x: g, weight: binary.weight.value, bias: binary.bias.value, out: logits))
      try backend.run(
        .bceWithLogitsForward(logits: try logits.reshaped([ids.count]), targets: targets, loss: loss))
      state.binary = HeadSaved(gathered: g, output: logits, loss: loss)
    }
    if let ids = input.contrastiveCells, let targets = input.contrastiveTargets,
      let candidates = input.candidates
    {
      let g = try gather(ids)
      let queries = try arena.tensor([ids.count, d])
      let projected = try arena.tensor([candidates.shape[0], d])
      let probs = try arena.tensor([ids.count, candidates.shape[0]])
      let loss = try arena.tensor([1])
      try backend.run(.linearForward(x: g, weight: query.value, bias: nil, out: queries))
      try backend.run(.linearForward(x: candidates, weight: candidate.value, bias: nil, out: projected))
      try backend.run(
        .infoNCEForward(
          queries: queries, candidates: projected, targets: targets, temperature: config.temperature,
          loss: loss,
          probs: probs))
      state.contrastive = HeadSaved(
        gathered: g, output: queries, loss: loss, projected: projected, probs: probs)
    }
  }

  /// Adds d(total loss)/d(final rows) into `dfinal` (zeroed by the caller).
  func headsBackward(
    _ input: ModelInput, state: ForwardState, dfinal: Tensor, arena: Arena, backend: any Backend
  ) throws {
    let d = config.width
    func zeros(_ shape: [Int]) throws -> Tensor {
      let t = try arena.tensor(shape)
      try backend.zero(t)
      return t
    }
    if let head = state.regression, let ids = input.regressionCells, let targets = input.regressionTargets {
      let m = ids.count
      let dpred = try zeros([m])
      try backend.run(
        .huberLossBackward(
          pred: try head.output.reshaped([m]), target: targets, delta: config.huberDelta, dloss: 1,
          dpred: dpred))
      let dg = try zeros([m, d])
      try backend.run(
        .linearBackward(
          dout: try dpred.reshaped([m, 1]), x: head.gathered, weight: regression.weight.value, dx: dg,
          dweight: regression.weight.gradient, dbias: regression.bias.gradient))
      try backend.run(.embeddingBackward(dout: dg, ids: ids, dtable: dfinal))
    }
    if let head = state.binary, let ids = input.binaryCells, let targets = input.binaryTargets {
      let m = ids.count
      let dlogits = try zeros([m])
      try backend.run(
        .bceWithLogitsBackward(
          logits: try head.output.reshaped([m]), targets: targets, dloss: 1, dlogits: dlogits))
      let dg = try zeros([m, d])
      try backend.run(
        .linearBackward(
          dout: try dlogits.reshaped([m, 1]), x: head.gathered, weight: binary.weight.value, dx: dg,
          dweight: binary.weight.gradient, dbias: binary.bias.gradient))
      try backend.run(.embeddingBackward(dout: dg, ids: ids, dtable: dfinal))
    }
    if let head = state.contrastive, let projected = head.projected, let probs = head.probs,
      let ids = input.contrastiveCells, let targets = input.contrastiveTargets,
      let candidates = input.candidates
    {
      let m = ids.count
      let dq = try zeros([m, d])
      let dp = try zeros(projected.shape)
      try backend.run(
        .infoNCEBackward(
          queries: head.output, candidates: projected, probs: probs, targets: targets,
          temperature: config.temperature, dloss: 1, dqueries: dq, dcandidates: dp))
      let dg = try zeros([m, d])
      try backend.run(
        .linearBackward(
          dout: dq, x: head.gathered, weight: query.value, dx: dg, dweight: query.gradient, dbias: nil))
      try backend.run(
        .linearBackward(
          dout: dp, x: candidates, weight: candidate.value, dx: nil, dweight: candidate.gradient, dbias: nil))
      try backend.run(.embeddingBackward(dout: dg, ids: ids, dtable: dfinal))
    }
  }
}
