// Dispatch of attention and the losses to the CPU kernels, and the pointer helpers of the dispatch:
// host pointers exist only inside the closures of `withHost` and `withIDs`.

extension CPUBackend {
  func runAttentionOrLoss(_ call: OpCall) throws {
    let sparseLimit = sparseAttention ? CPUKernels.sparseDensityLimit : 0
    switch call {
    case .attentionForward(let q, let k, let v, let mask, let heads, let out, let probs):
      let dims = AttentionPointers(
        batch: q.shape[0], queries: q.shape[1], keys: k.shape[1], heads: heads, headDim: q.shape[2] / heads)
      let run = { (maskPointer: MaskPointer) in
        try withHost([q, k, v, out, probs]) { p in
          try CPUKernels.attentionForward(
            q: p.at(0), k: p.at(1), v: p.at(2), mask: maskPointer, out: p.at(3), probs: p.at(4), dims,
            sparseLimit: sparseLimit, pool: pool)
        }
      }
      switch mask {
      case .none: try run(.none)
      case .keyPadding(let keep):
        try withHost([keep]) { p in try run(.keyPadding(p.at(0))) }
      case .additive(let bias):
        try withHost([bias]) { p in try run(.additive(p.at(0), batch: bias.shape[0], heads: bias.shape[1])) }
      case .packedKeep(let bits):
        try bits.withUnsafeMutableInt32s(what: "attention.mask") { words in
          guard let base = words.baseAddress else { throw TensorError.notHostMemory(what: "attention.mask") }
          let unsigned = UnsafeRawPointer(base).assumingMemoryBound(to: UInt32.self)
          try run(.packedKeep(unsigned, batch: bits.shape[0], heads: bits.shape[1]))
        }
      }
    case .attentionBackward(let dout, let q, let k, let v, let probs, let heads, let dq, let dk, let dv):
      let dims = AttentionPointers(
        batch: q.shape[0], queries: q.shape[1], keys: k.shape[1], heads: heads, headDim: q.shape[2] / heads)
      try withHost([dout, q, k, v, probs, dq, dk, dv]) { p in
        try CPUKernels.attentionBackward(
          dout: p.at(0), q: p.at(1), k: p.at(2), v: p.at(3), probs: p.at(4), dq: p.optional(5),
          dk: p.optional(6), dv: p.optional(7), dims, sparseLimit: sparseLimit, pool: pool)
      }
    case .huberLossForward(let pred, let target, let delta, let loss):
      try withHost([pred, target, loss]) { p in
        try p.at(2)[0] = CPUKernels.huberLoss(p.at(0), p.at(1), count: pred.count, delta: delta)
      }
    case .huberLossBackward(let pred, let target, let delta, let dloss, let dpred):
      try withHost([pred, target, dpred]) { p in
        try CPUKernels.huberLossBackward(
          p.at(0), p.at(1), dpred: p.at(2), count: pred.count, delta: delta, dloss: dloss)
      }
    case .bceWithLogitsForward(let logits, let targets, let loss):
      try withHost([logits, targets, loss]) { p in
        try p.at(2)[0] = CPUKernels.bceWithLogits(p.at(0), p.at(1), count: logits.count)
      }
    case .bceWithLogitsBackward(let logits, let targets, let dloss, let dlogits):
      try withHost([logits, targets, dlogits]) { p in
        try CPUKernels.bceWithLogitsBackward(
          p.at(0), p.at(1), dlogits: p.at(2), count: logits.count, dloss: dloss)
      }
    case .crossEntropyForward(let logits, let targets, let loss, let probs):
      let (n, c) = (logits.shape[0], logits.shape[1])
      try withIDs(targets, below: c, allowNegative: true) { tp in
        try withHost([logits, loss, probs]) { p in
          try p.at(1)[0] = CPUKernels.crossEntropy(
            p.at(0), targets: tp, probs: p.at(2), rows: n, columns: c, pool: pool)
        }
      }
    case .crossEntropyBackward(let probs, let targets, let dloss, let dlogits):
      let (n, c) = (probs.shape[0], probs.shape[1])
      try withIDs(targets, below: c, allowNegative: true) { tp in
        try withHost([probs, dlogits]) { p in
          try CPUKernels.crossEntropyBackward(
            probs: p.at(0), targets: tp, dlogits: p.at(1), rows: n, columns: c, dloss: dloss, pool: pool)
        }
      }
    case .infoNCEForward(let queries, let candidates, let targets, let temperature, let loss, let probs):
      let (n, d, m) = (queries.shape[0], queries.shape[1], candidates.shape[0])
      try withIDs(targets, below: m, allowNegative: true) { tp in
        try withHost([queries, candidates, loss, probs]) { p in
          try GEMM(m: n, n: m, k: d, transposeA: false, transposeB: true, alpha: 1 / temperature, beta: 0)
            .run(p.at(0), p.at(1), p.at(3))
          try p.at(2)[0] = CPUKernels.crossEntropy(
            p.at(3), targets: tp, probs: p.at(3), rows: n, columns: m, pool: pool)
        }
      }
    case .infoNCEBackward(
      let queries, let candidates, let probs, let targets, let temperature, let dloss, let dq, let dc):
      let (n, d, m) = (queries.shape[0], queries.shape[1], candidates.shape[0])
      let dlogits = try allocate(shape: [n, m], dtype: .f32)
      try withIDs(targets, below: m, allowNegative: true) { tp in
        try withHost([queries, candidates, probs, dlogits, dq, dc]) { p in
          try CPUKernels.crossEntropyBackward(
            probs: p.at(2), targets: tp, dlogits: p.at(3), rows: n, columns: m, dloss: dloss / temperature,
            pool: pool)
          if let dqp = p.optional(4) {
            try GEMM(m: n, n: d, k: m, transposeA: false, transposeB: false, alpha: 1, beta: 1)
              .run(p.at(3), p.at(1), dqp)
          }
          if let dcp = p.optional(5) {
            try GEMM(m: m, n: d, k: n, transposeA: true, transposeB: false, alpha: 1, beta: 1)
              .run(p.at(3), p.at(0), dcp)
          }
        }
      }
    default:
      throw TensorError.unsupported(op: call.op, backend: "cpu attention/loss dispatch")
    }
  }
}

/// Host pointers of a list of tensors (nil for an absent optional tensor), valid inside `withHost`.
struct HostPointers {
  let pointers: [UnsafeMutablePointer<Float>?]

  func at(_ i: Int) throws -> UnsafeMutablePointer<Float> {
    guard let p = pointers[i] else {
      throw TensorError.invalidArgument(what: "cpu dispatch", detail: "missing tensor \(i)")
    }
    return p
  }

  func optional(_ i: Int) -> UnsafeMutablePointer<Float>? { pointers[i] }
}

/// Calls `body` with the host f32 pointers of `tensors`; they are valid only during the call.
func withHost<R>(_ tensors: [Tensor?], _ body: (HostPointers) throws -> R) throws -> R {
  try gatherPointers(tensors[...], [], body)
}

private func gatherPointers<R>(
  _ rest: ArraySlice<Tensor?>, _ gathered: [UnsafeMutablePointer<Float>?], _ body: (HostPointers) throws -> R
) throws -> R {
  guard let first = rest.first else { return try body(HostPointers(pointers: gathered)) }
  guard let tensor = first else { return try gatherPointers(rest.dropFirst(), gathered + [nil], body) }
  return try tensor.withUnsafeMutableFloats { buffer in
    try gatherPointers(rest.dropFirst(), gathered + [buffer.baseAddress], body)
  }
}

/// Calls `body` with the i32 ids of `ids` after checking each lies in [0, limit) (negatives allowed
/// when `allowNegative`: ignored targets).
func withIDs<R>(
  _ ids: Tensor, below limit: Int, allowNegative: Bool, _ body: (UnsafeMutablePointer<Int32>) throws -> R
) throws -> R {
  try ids.withUnsafeMutableInt32s(what: "ids") { buffer in
    for (position, id) in buffer.enumerated() where Int(id) >= limit || (!allowNegative && id < 0) {
      throw TensorError.invalidArgument(
        what: "ids", detail: "id \(id) at position \(position) is outside [0, \(limit))")
    }
    guard let base = buffer.baseAddress else { throw TensorError.notHostMemory(what: "ids") }
    return try body(base)
  }
}
