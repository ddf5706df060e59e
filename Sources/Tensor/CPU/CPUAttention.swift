// Fast CPU masked multi-head attention. Per (batch, head): scores = q k^T / sqrt(Dh) by sgemm straight
// into the saved probabilities (head columns addressed through the leading dimension, no copies),
// mask + softmax over rows in parallel, then out = probs v by sgemm. Backward recomputes nothing: it
// reads the saved probabilities. (b, h) pairs whose packed mask or probabilities are sparse go to the gather
// kernels of CPUSparseAttention.swift instead.
// Refuses: a fused/flash kernel (that is the CUDA backend's job); memory is O(B H Tq Tk).
import Foundation

/// Pointers and sizes of one attention call.
struct AttentionPointers {
  var batch: Int, queries: Int, keys: Int, heads: Int, headDim: Int
  var channels: Int { heads * headDim }

  func qOffset(_ b: Int, _ h: Int) -> Int { b * queries * channels + h * headDim }
  func kvOffset(_ b: Int, _ h: Int) -> Int { b * keys * channels + h * headDim }
  func probsOffset(_ b: Int, _ h: Int) -> Int { (b * heads + h) * queries * keys }
}

/// The mask as raw pointers: none, key padding keep[B,Tk], or additive bias[Bm,Hm,Tq,Tk].
enum MaskPointer {
  case none
  case keyPadding(UnsafePointer<Float>)
  case additive(UnsafePointer<Float>, batch: Int, heads: Int)
  case packedKeep(UnsafePointer<UInt32>, batch: Int, heads: Int)
}

extension CPUKernels {
  static func attentionForward(
    q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, mask: MaskPointer,
    out: UnsafeMutablePointer<Float>, probs: UnsafeMutablePointer<Float>, _ s: AttentionPointers,
    sparseLimit: Double, pool: WorkerPool
  ) throws {
    let scale = 1 / Float(s.headDim).squareRoot()
    var sparse = [Bool](repeating: false, count: s.batch * s.heads)
    if sparseLimit > 0, case .packedKeep(let bits, let maskBatch, let maskHeads) = mask {
      let density = packedDensity(bits, maskBatch: maskBatch, maskHeads: maskHeads, s)
      for pair in sparse.indices {
        let (b, h) = (pair / s.heads, pair % s.heads)
        sparse[pair] = density[(maskBatch == 1 ? 0 : b) * maskHeads + (maskHeads == 1 ? 0 : h)] < sparseLimit
      }
      sparseAttentionForward(
        pairs: sparse.indices.filter { sparse[$0] }, q: q, k: k, v: v, bits: bits, maskBatch: maskBatch,
        maskHeads: maskHeads, out: out, probs: probs, s, pool: pool)
    }
    for b in 0..<s.batch {
      for h in 0..<s.heads where !sparse[b * s.heads + h] {
        let p = probs + s.probsOffset(b, h)
        try GEMM(
          m: s.queries, n: s.keys, k: s.headDim, transposeA: false, transposeB: true, alpha: scale,
          beta: 0, lda: s.channels, ldb: s.channels, ldc: s.keys
        ).run(q + s.qOffset(b, h), k + s.kvOffset(b, h), p)
        maskedSoftmax(p, mask: mask, b: b, h: h, s, pool: pool)
        try GEMM(
          m: s.queries, n: s.headDim, k: s.keys, transposeA: false, transposeB: false, alpha: 1,
          beta: 0, lda: s.keys, ldb: s.channels, ldc: s.channels
        ).run(p, v + s.kvOffset(b, h), out + s.qOffset(b, h))
      }
    }
  }

  /// Adds the mask to the [Tq, Tk] scores of (b, h) and turns each row into probabilities.
  private static func maskedSoftmax(
    _ p: UnsafeMutablePointer<Float>, mask: MaskPointer, b: Int, h: Int, _ s: AttentionPointers,
    pool: WorkerPool
  ) {
    let tk = s.keys
    pool.forEachChunk(s.queries, grain: max(1, 2048 / max(tk, 1))) { range in
      for i in range {
        let row = p + i * tk
        switch mask {
        case .none: break
        case .keyPadding(let keep):
          for j in 0..<tk where keep[b * tk + j] == 0 { row[j] = -.infinity }
        case .additive(let bias, let biasBatch, let biasHeads):
          let bb = biasBatch == 1 ? 0 : b
          let hh = biasHeads == 1 ? 0 : h
          let m = bias + ((bb * biasHeads + hh) * s.queries + i) * tk
          for j in 0..<tk { row[j] += m[j] }
        case .packedKeep(let bits, let maskBatch, let maskHeads):
          let words = (tk + 31) / 32
          let bb = maskBatch == 1 ? 0 : b
          let hh = maskHeads == 1 ? 0 : h
          let w = bits + ((bb * maskHeads + hh) * s.queries + i) * words
          for j in 0..<tk where w[j >> 5] & (1 << UInt32(j & 31)) == 0 { row[j] = -.infinity }
        }
        softmaxRow(row, tk)
      }
    }
  }

  static func attentionBackward(
    dout: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    probs: UnsafePointer<Float>, dq: UnsafeMutablePointer<Float>?, dk: UnsafeMutablePointer<Float>?,
    dv: UnsafeMutablePointer<Float>?, _ s: AttentionPointers, sparseLimit: Double, pool: WorkerPool
  ) throws {
    let scale = 1 / Float(s.headDim).squareRoot()
    // The backward call has no mask: a pair's sparsity is read off its saved probabilities.
    let sparse = (0..<(s.batch * s.heads)).map {
      sparseLimit > 0 && probabilityDensity(probs + $0 * s.queries * s.keys, s) < sparseLimit
    }
    sparseAttentionBackward(
      pairs: sparse.indices.filter { sparse[$0] }, dout: dout, q: q, k: k, v: v, probs: probs, dq: dq, dk: dk,
      dv: dv, s, pool: pool)
    guard sparse.contains(false) else { return }
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(1, s.queries * s.keys))
    defer { scratch.deallocate() }
    for b in 0..<s.batch {
      for h in 0..<s.heads where !sparse[b * s.heads + h] {
        let (p, g) = (probs + s.probsOffset(b, h), dout + s.qOffset(b, h))
        let (qo, kvo) = (s.qOffset(b, h), s.kvOffset(b, h))
        if let dv {  // dv[Tk,Dh] += p^T dout
          try GEMM(
            m: s.keys, n: s.headDim, k: s.queries, transposeA: true, transposeB: false, alpha: 1, beta: 1,
            lda: s.keys, ldb: s.channels, ldc: s.channels
          ).run(p, g, dv + kvo)
        }
        guard dq != nil || dk != nil else { continue }
        // dprobs[Tq,Tk] = dout v^T, then dscores = probs * (dprobs - rowdot) * scale
        try GEMM(
          m: s.queries, n: s.keys, k: s.headDim, transposeA: false, transposeB: true, alpha: 1, beta: 0,
          lda: s.channels, ldb: s.channels, ldc: s.keys
        ).run(g, v + kvo, scratch)
        softmaxBackwardInPlace(scratch, probs: p, rows: s.queries, columns: s.keys, scale: scale, pool: pool)
        if let dq {  // dq[Tq,Dh] += dscores k
          try GEMM(
            m: s.queries, n: s.headDim, k: s.keys, transposeA: false, transposeB: false, alpha: 1, beta: 1,
            lda: s.keys, ldb: s.channels, ldc: s.channels
          ).run(scratch, k + kvo, dq + qo)
        }
        if let dk {  // dk[Tk,Dh] += dscores^T q
          try GEMM(
            m: s.keys, n: s.headDim, k: s.queries, transposeA: true, transposeB: false, alpha: 1, beta: 1,
            lda: s.keys, ldb: s.channels, ldc: s.channels
          ).run(scratch, q + qo, dk + kvo)
        }
      }
    }
  }

  /// grad[N,C] = scale * probs * (grad - rowdot(grad, probs)), in place.
  private static func softmaxBackwardInPlace(
    _ grad: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>, rows: Int, columns c: Int,
    scale: Float, pool: WorkerPool
  ) {
    pool.forEachChunk(rows, grain: max(1, 2048 / max(c, 1))) { range in
      for r in range {
        let (g, p) = (grad + r * c, probs + r * c)
        let dot = SIMDMath.dot(g, p, c)
        for i in 0..<c { g[i] = scale * p[i] * (g[i] - dot) }
      }
    }
  }
}
