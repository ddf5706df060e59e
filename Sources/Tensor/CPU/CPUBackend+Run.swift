// Dispatch of `OpCall`s to the fast CPU kernels: validate shapes, take host pointers inside closures,
// call one kernel. One exhaustive switch: a new op does not build until it is handled here.
// Refuses: allocation of outputs (the caller owns every buffer) and ids outside their table.
import Dispatch

extension CPUBackend {
  public func run(_ call: OpCall) throws {
    try call.validate()
    guard let profile else { return try dispatch(call) }
    let start = DispatchTime.now().uptimeNanoseconds
    try dispatch(call)
    profile.record(call, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
  }

  private func dispatch(_ call: OpCall) throws {
    switch call {
    case .matmul(let a, let b, let c, let ta, let tb, let alpha, let beta):
      let gemm = GEMM(
        m: c.shape[0], n: c.shape[1], k: ta ? a.shape[0] : a.shape[1], transposeA: ta, transposeB: tb,
        alpha: alpha, beta: beta)
      try withHost([a, b, c]) { p in try gemm.run(p.at(0), p.at(1), p.at(2)) }
    case .batchedMatmul(let a, let b, let c, let ta, let tb, let alpha, let beta):
      let gemm = GEMM(
        m: c.shape[1], n: c.shape[2], k: ta ? a.shape[1] : a.shape[2], transposeA: ta, transposeB: tb,
        alpha: alpha, beta: beta)
      let (aStep, bStep, cStep) = (a.shape[1] * a.shape[2], b.shape[1] * b.shape[2], c.shape[1] * c.shape[2])
      try withHost([a, b, c]) { p in
        for i in 0..<a.shape[0] {
          try gemm.run(p.at(0) + i * aStep, p.at(1) + i * bStep, p.at(2) + i * cStep)
        }
      }
    case .linearForward(let x, let w, let bias, let out):
      try withHost([x, w, out, bias]) { p in
        try CPUKernels.linearForward(
          p.at(0), p.at(1), p.optional(3), p.at(2), n: x.shape[0], inDim: x.shape[1], outDim: w.shape[0],
          pool: pool)
      }
    case .linearBackward(let dout, let x, let w, let dx, let dw, let db):
      try withHost([dout, x, w, dx, dw, db]) { p in
        try CPUKernels.linearBackward(
          dout: p.at(0), x: p.at(1), w: p.at(2), dx: p.optional(3), dw: p.optional(4), dbias: p.optional(5),
          n: x.shape[0], inDim: x.shape[1], outDim: w.shape[0], pool: pool)
      }
    case .addForward(let a, let b, let out), .mulForward(let a, let b, let out):
      let multiply = call.op == .mul
      try withHost([a, b, out]) { p in
        try CPUKernels.broadcastForward(
          p.at(0), aShape: a.shape, p.at(1), bShape: b.shape, p.at(2), outShape: out.shape,
          multiply: multiply, pool: pool)
      }
    case .addBackward(let dout, let da, let db):
      try withHost([dout, da, db]) { p in
        for (slot, grad) in [(1, da), (2, db)] {
          guard let grad, let pointer = p.optional(slot) else { continue }
          try CPUKernels.broadcastBackward(
            dout: p.at(0), outShape: dout.shape, grad: pointer, shape: grad.shape, other: nil,
            otherShape: dout.shape, pool: pool)
        }
      }
    case .mulBackward(let dout, let a, let b, let da, let db):
      try withHost([dout, a, b, da, db]) { p in
        if let da, let pointer = p.optional(3) {
          try CPUKernels.broadcastBackward(
            dout: p.at(0), outShape: dout.shape, grad: pointer, shape: da.shape, other: p.at(2),
            otherShape: b.shape, pool: pool)
        }
        if let db, let pointer = p.optional(4) {
          try CPUKernels.broadcastBackward(
            dout: p.at(0), outShape: dout.shape, grad: pointer, shape: db.shape, other: p.at(1),
            otherShape: a.shape, pool: pool)
        }
      }
    case .scaleForward(let x, let factor, let out):
      try withHost([x, out]) { p in
        try CPUKernels.scale(p.at(0), p.at(1), count: x.count, factor: factor, accumulate: false, pool: pool)
      }
    case .scaleBackward(let dout, let factor, let dx):
      try withHost([dout, dx]) { p in
        try CPUKernels.scale(p.at(0), p.at(1), count: dx.count, factor: factor, accumulate: true, pool: pool)
      }
    case .embeddingForward(let ids, let table, let out):
      try withIDs(ids, below: table.shape[0], allowNegative: false) { idp in
        try withHost([table, out]) { p in
          try CPUKernels.embeddingForward(
            ids: idp, table: p.at(0), out: p.at(1), count: ids.count, dim: table.shape[1], pool: pool)
        }
      }
    case .embeddingBackward(let dout, let ids, let dtable):
      try withIDs(ids, below: dtable.shape[0], allowNegative: false) { idp in
        try withHost([dout, dtable]) { p in
          try CPUKernels.embeddingBackward(
            dout: p.at(0), ids: idp, dtable: p.at(1), count: ids.count, dim: dtable.shape[1])
        }
      }
    case .layerNormForward, .layerNormBackward, .rmsNormForward, .rmsNormBackward,
      .activationForward, .activationBackward, .swigluForward, .swigluBackward,
      .softmaxForward, .softmaxBackward, .meanPoolForward, .meanPoolBackward,
      .l2NormalizeForward, .l2NormalizeBackward, .dropoutForward, .dropoutBackward:
      try runRowOp(call)
    case .attentionForward, .attentionBackward, .huberLossForward, .huberLossBackward,
      .bceWithLogitsForward, .bceWithLogitsBackward, .crossEntropyForward, .crossEntropyBackward,
      .infoNCEForward, .infoNCEBackward:
      try runAttentionOrLoss(call)
    }
  }

  private func runRowOp(_ call: OpCall) throws {
    switch call {
    case .layerNormForward(let x, let w, let b, let out, let mean, let rstd, let eps):
      let (n, c) = x.rowsAndColumns
      try withHost([x, w, b, out, mean, rstd]) { p in
        try CPUKernels.layerNormForward(
          p.at(0), weight: p.at(1), bias: p.at(2), out: p.at(3), mean: p.at(4), rstd: p.at(5),
          rows: n, columns: c, epsilon: eps, pool: pool)
      }
    case .layerNormBackward(let dout, let x, let w, let mean, let rstd, let dx, let dw, let db):
      let (n, c) = x.rowsAndColumns
      try withHost([dout, x, w, mean, rstd, dx, dw, db]) { p in
        try CPUKernels.layerNormBackward(
          dout: p.at(0), x: p.at(1), weight: p.at(2), mean: p.at(3), rstd: p.at(4), dx: p.optional(5),
          dweight: p.optional(6), dbias: p.optional(7), rows: n, columns: c, pool: pool)
      }
    case .rmsNormForward(let x, let w, let out, let rstd, let eps):
      let (n, c) = x.rowsAndColumns
      try withHost([x, w, out, rstd]) { p in
        try CPUKernels.rmsNormForward(
          p.at(0), weight: p.at(1), out: p.at(2), rstd: p.at(3), rows: n, columns: c, epsilon: eps, pool: pool
        )
      }
    case .rmsNormBackward(let dout, let x, let w, let rstd, let dx, let dw):
      let (n, c) = x.rowsAndColumns
      try withHost([dout, x, w, rstd, dx, dw]) { p in
        try CPUKernels.rmsNormBackward(
          dout: p.at(0), x: p.at(1), weight: p.at(2), rstd: p.at(3), dx: p.optional(4),
          dweight: p.optional(5),
          rows: n, columns: c, pool: pool)
      }
    case .activationForward(let kind, let x, let out):
      try withHost([x, out]) { p in
        try CPUKernels.activationForward(kind, p.at(0), p.at(1), count: x.count, pool: pool)
      }
    case .activationBackward(let kind, let dout, let x, let dx):
      try withHost([dout, x, dx]) { p in
        try CPUKernels.activationBackward(kind, dout: p.at(0), p.at(1), p.at(2), count: x.count, pool: pool)
      }
    case .swigluForward(let x, let out):
      let (n, c) = x.rowsAndColumns
      try withHost([x, out]) { p in
        try CPUKernels.swigluForward(p.at(0), out: p.at(1), rows: n, hidden: c / 2, pool: pool)
      }
    case .swigluBackward(let dout, let x, let dx):
      let (n, c) = x.rowsAndColumns
      try withHost([dout, x, dx]) { p in
        try CPUKernels.swigluBackward(p.at(1), dout: p.at(0), dx: p.at(2), rows: n, hidden: c / 2, pool: pool)
      }
    case .softmaxForward(let x, let probs):
      let (n, c) = x.rowsAndColumns
      try withHost([x, probs]) { p in
        try CPUKernels.softmaxForward(p.at(0), p.at(1), rows: n, columns: c, pool: pool)
      }
    case .softmaxBackward(let dout, let probs, let dx):
      let (n, c) = probs.rowsAndColumns
      try withHost([dout, probs, dx]) { p in
        try CPUKernels.softmaxBackward(
          dout: p.at(0), probs: p.at(1), dx: p.at(2), rows: n, columns: c, pool: pool)
      }
    case .meanPoolForward(let x, let keep, let out):
      try withHost([x, keep, out]) { p in
        try CPUKernels.meanPool(
          x: p.at(0), keep: p.at(1), out: p.at(2), dout: nil, dx: nil, b: x.shape[0], t: x.shape[1],
          c: x.shape[2], pool: pool)
      }
    case .meanPoolBackward(let dout, let keep, let dx):
      try withHost([dout, keep, dx]) { p in
        try CPUKernels.meanPool(
          x: nil, keep: p.at(1), out: nil, dout: p.at(0), dx: p.at(2), b: dx.shape[0], t: dx.shape[1],
          c: dx.shape[2], pool: pool)
      }
    case .l2NormalizeForward(let x, let out, let norm, let eps):
      let (n, c) = x.rowsAndColumns
      try withHost([x, out, norm]) { p in
        try CPUKernels.l2NormalizeForward(
          p.at(0), out: p.at(1), norm: p.at(2), rows: n, columns: c, epsilon: eps, pool: pool)
      }
    case .l2NormalizeBackward(let dout, let out, let norm, let eps, let dx):
      let (n, c) = out.rowsAndColumns
      try withHost([dout, out, norm, dx]) { p in
        try CPUKernels.l2NormalizeBackward(
          dout: p.at(0), out: p.at(1), norm: p.at(2), dx: p.at(3), rows: n, columns: c, epsilon: eps,
          pool: pool)
      }
    case .dropoutForward(let x, let out, let probability, let seed):
      try withHost([x, out]) { p in
        try CPUKernels.dropout(
          p.at(0), p.at(1), count: x.count, probability: probability, seed: seed, accumulate: false,
          pool: pool)
      }
    case .dropoutBackward(let dout, let dx, let probability, let seed):
      try withHost([dout, dx]) { p in
        try CPUKernels.dropout(
          p.at(0), p.at(1), count: dx.count, probability: probability, seed: seed, accumulate: true,
          pool: pool)
      }
    default:
      throw TensorError.unsupported(op: call.op, backend: "cpu row dispatch")
    }
  }
}
