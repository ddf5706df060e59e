// Dispatch of attention op calls and the losses: Huber and BCE reduce in one block (double sums, as the CPU),
// cross-entropy runs per row then a one-block mean; InfoNCE is a cuBLASLt GEMM into the probabilities followed
// by cross-entropy in place.
import Tensor

extension CUDABackend {
  func runAttentionOrLoss(_ call: OpCall) throws {
    switch call {
    case .attentionForward(let q, let k, let v, let mask, let heads, let out, let probs):
      let lse = try uninitialized([q.shape[0], heads, q.shape[1]])
      try withExtendedLifetime(lse) {
        try attentionKernel(q: q, k: k, v: v, mask: mask, heads: heads, out: out, probs: probs, lse: lse)
      }
    case .attentionBackward(let dout, let q, let k, let v, let probs, let heads, let dq, let dk, let dv):
      try attentionBackwardFromProbabilities(
        dout: dout, q: q, k: k, v: v, probs: probs, heads: heads, dq: dq, dk: dk, dv: dv)
    case .huberLossForward(let pred, let target, let delta, let loss):
      try launch(
        "huber_forward", .single,
        [
          .pointer(address(pred)), .pointer(address(target)), .int64(pred.count), .float(delta),
          .pointer(address(loss)),
        ])
    case .huberLossBackward(let pred, let target, let delta, let dloss, let dpred):
      try launch(
        "huber_backward", .elements(pred.count),
        [
          .pointer(address(pred)), .pointer(address(target)), .pointer(address(dpred)), .int64(pred.count),
          .float(delta), .float(dloss / Float(max(pred.count, 1))),
        ])
    case .bceWithLogitsForward(let logits, let targets, let loss):
      try launch(
        "bce_forward", .single,
        [
          .pointer(address(logits)), .pointer(address(targets)), .int64(logits.count),
          .pointer(address(loss)),
        ])
    case .bceWithLogitsBackward(let logits, let targets, let dloss, let dlogits):
      try launch(
        "bce_backward", .elements(logits.count),
        [
          .pointer(address(logits)), .pointer(address(targets)), .pointer(address(dlogits)),
          .int64(logits.count),
          .float(dloss / Float(max(logits.count, 1))),
        ])
    case .crossEntropyForward(let logits, let targets, let loss, let probs):
      try crossEntropy(
        logits: address(logits), targets: address(targets), probs: address(probs), loss: address(loss),
        rows: logits.shape[0], columns: logits.shape[1])
    case .crossEntropyBackward(let probs, let targets, let dloss, let dlogits):
      try crossEntropyBackward(
        probs: address(probs), targets: address(targets), dlogits: address(dlogits), rows: probs.shape[0],
        columns: probs.shape[1], dloss: dloss)
    case .infoNCEForward(let queries, let candidates, let targets, let temperature, let loss, let probs):
      let (n, d, m) = (queries.shape[0], queries.shape[1], candidates.shape[0])
      try gemm(
        GEMMShape(m: n, n: m, k: d, transposeA: false, transposeB: true, lda: d, ldb: d, ldc: m),
        a: address(queries), b: address(candidates), c: address(probs), alpha: 1 / temperature, beta: 0)
      try crossEntropy(
        logits: address(probs), targets: address(targets), probs: address(probs), loss: address(loss),
        rows: n,
        columns: m)
    case .infoNCEBackward(
      let queries, let candidates, let probs, let targets, let temperature, let dloss, let dq, let dc):
      try infoNCEBackward(
        queries: queries, candidates: candidates, probs: probs, targets: targets, temperature: temperature,
        dloss: dloss, dq: dq, dc: dc)
    default:
      throw TensorError.unsupported(op: call.op, backend: name)
    }
  }

  private func crossEntropy(
    logits: DevicePointer, targets: DevicePointer, probs: DevicePointer, loss: DevicePointer, rows: Int,
    columns: Int
  ) throws {
    let rowLoss = try uninitialized([max(rows, 1)])
    try withExtendedLifetime(rowLoss) {
      try launch(
        "cross_entropy_rows", .rows(rows),
        [.pointer(logits), .pointer(targets), .pointer(probs), .pointer(address(rowLoss)), .int64(columns)])
      try launch(
        "cross_entropy_finish", .single,
        [
          .pointer(address(rowLoss)), .pointer(targets), .int64(rows), .int64(columns), .pointer(loss),
          .pointer(0),
        ])
    }
  }

  private func crossEntropyBackward(
    probs: DevicePointer, targets: DevicePointer, dlogits: DevicePointer, rows: Int, columns: Int,
    dloss: Float
  ) throws {
    try launch(
      "cross_entropy_backward", LaunchShape(grid: (min(max(rows, 1), 1024), 1, 1), block: 256),
      [.pointer(probs), .pointer(targets), .pointer(dlogits), .int64(rows), .int64(columns), .float(dloss)])
  }

  private func infoNCEBackward(
    queries: Tensor, candidates: Tensor, probs: Tensor, targets: Tensor, temperature: Float, dloss: Float,
    dq: Tensor?, dc: Tensor?
  ) throws {
    let (n, d, m) = (queries.shape[0], queries.shape[1], candidates.shape[0])
    let dlogits = try allocate(shape: [n, m], dtype: .f32)
    try withExtendedLifetime(dlogits) {
      try crossEntropyBackward(
        probs: address(probs), targets: address(targets), dlogits: address(dlogits), rows: n, columns: m,
        dloss: dloss / temperature)
      if let dq {  // dq[N,D] += dlogits candidates
        try gemm(
          GEMMShape(m: n, n: d, k: m, transposeA: false, transposeB: false, lda: m, ldb: d, ldc: d),
          a: address(dlogits), b: address(candidates), c: address(dq), alpha: 1, beta: 1)
      }
      if let dc {  // dc[M,D] += dlogits^T queries
        try gemm(
          GEMMShape(m: m, n: d, k: n, transposeA: true, transposeB: false, lda: m, ldb: d, ldc: d),
          a: address(dlogits), b: address(queries), c: address(dc), alpha: 1, beta: 1)
      }
    }
  }
}
