// Masked attention for sparse masks: per query, only the visible keys are scored, softmaxed and summed, O(nnz Dh)
// instead of the dense path's O(Tq Tk Dh) (the relational transformer's column, feature and neighbour masks keep a
// few percent of the keys). The saved probabilities keep the dense [Tq, Tk] layout (zeros where hidden), so the
// backward pass and every reader of `probs` are unchanged; the backward pass finds the visible keys again as the
// nonzero probabilities. Work is split over (batch, head) pairs, whose outputs and gradients are disjoint, and each
// pair runs serially: results do not depend on the number of workers.
// Refuses: nothing; which path runs is decided by the data (`sparseDensityLimit`), never by the thread count.

extension CPUKernels {
  /// Below this fraction of visible (query, key) pairs, the gather path beats the dense GEMM path (measured on
  /// Zen 3 at Dh = 32: `tributary bench model --config rt`).
  static let sparseDensityLimit = 0.25

  /// Fraction of set bits in the packed mask slice of each (mask batch, mask head).
  static func packedDensity(
    _ bits: UnsafePointer<UInt32>, maskBatch: Int, maskHeads: Int, _ s: AttentionPointers
  ) -> [Double] {
    let words = (s.keys + 31) / 32
    return (0..<(maskBatch * maskHeads)).map { slice in
      let base = bits + slice * s.queries * words
      var set = 0
      for i in 0..<(s.queries * words) { set += base[i].nonzeroBitCount }
      return Double(set) / Double(max(1, s.queries * s.keys))
    }
  }

  /// Forward of the (b, h) pairs in `pairs` (indices b * heads + h) with a packed mask, gathering visible keys.
  static func sparseAttentionForward(
    pairs: [Int], q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
    bits: UnsafePointer<UInt32>, maskBatch: Int, maskHeads: Int, out: UnsafeMutablePointer<Float>,
    probs: UnsafeMutablePointer<Float>, _ s: AttentionPointers, pool: WorkerPool
  ) {
    let scale = 1 / Float(s.headDim).squareRoot()
    let words = (s.keys + 31) / 32
    pool.forEachChunk(pairs.count) { range in
      let keys = UnsafeMutablePointer<Int>.allocate(capacity: max(1, s.keys))
      let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, s.keys))
      defer { (keys.deallocate(), scores.deallocate()) }
      for pair in pairs[range] {
        let (b, h) = (pair / s.heads, pair % s.heads)
        let slice = (maskBatch == 1 ? 0 : b) * maskHeads + (maskHeads == 1 ? 0 : h)
        let (kb, vb) = (k + s.kvOffset(b, h), v + s.kvOffset(b, h))
        for i in 0..<s.queries {
          let (qi, oi) = (q + s.qOffset(b, h) + i * s.channels, out + s.qOffset(b, h) + i * s.channels)
          let row = probs + s.probsOffset(b, h) + i * s.keys
          row.update(repeating: 0, count: s.keys)
          oi.update(repeating: 0, count: s.headDim)
          let maskRow = bits + (slice * s.queries + i) * words
          var count = 0
          for word in 0..<words {
            var w = maskRow[word]
            while w != 0 {
              let j = word * 32 + w.trailingZeroBitCount
              w &= w &- 1
              guard j < s.keys else { break }
              keys[count] = j
              scores[count] = scale * SIMDMath.dot(qi, kb + j * s.channels, s.headDim)
              count += 1
            }
          }
          guard count > 0 else { continue }
          softmaxRow(scores, count)
          for m in 0..<count {
            row[keys[m]] = scores[m]
            SIMDMath.axpy(scores[m], vb + keys[m] * s.channels, oi, s.headDim)
          }
        }
      }
    }
  }

  /// Fraction of nonzero probabilities of pair (b, h), estimated on up to 32 evenly spaced query rows.
  static func probabilityDensity(_ p: UnsafePointer<Float>, _ s: AttentionPointers) -> Double {
    let sampled = min(s.queries, 32)
    guard sampled > 0, s.keys > 0 else { return 1 }
    var nonzero = 0
    for n in 0..<sampled {
      let row = p + (n * s.queries / sampled) * s.keys
      for j in 0..<s.keys where row[j] != 0 { nonzero += 1 }
    }
    return Double(nonzero) / Double(sampled * s.keys)
  }

  /// Backward of the (b, h) pairs in `pairs` over their nonzero probabilities only (a hidden key has p = 0,
  /// so it adds nothing to any gradient).
  static func sparseAttentionBackward(
    pairs: [Int], dout: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
    v: UnsafePointer<Float>, probs: UnsafePointer<Float>, dq: UnsafeMutablePointer<Float>?,
    dk: UnsafeMutablePointer<Float>?, dv: UnsafeMutablePointer<Float>?, _ s: AttentionPointers,
    pool: WorkerPool
  ) {
    let scale = 1 / Float(s.headDim).squareRoot()
    pool.forEachChunk(pairs.count) { range in
      let keys = UnsafeMutablePointer<Int>.allocate(capacity: max(1, s.keys))
      let grads = UnsafeMutablePointer<Float>.allocate(capacity: max(1, s.keys))
      defer { (keys.deallocate(), grads.deallocate()) }
      for pair in pairs[range] {
        let (b, h) = (pair / s.heads, pair % s.heads)
        let (qo, kvo) = (s.qOffset(b, h), s.kvOffset(b, h))
        for i in 0..<s.queries {
          let row = probs + s.probsOffset(b, h) + i * s.keys
          let gi = dout + qo + i * s.channels
          var count = 0
          for j in 0..<s.keys where row[j] != 0 {
            keys[count] = j
            count += 1
          }
          var rowDot: Float = 0
          for m in 0..<count {
            let j = keys[m]
            if let dv { SIMDMath.axpy(row[j], gi, dv + kvo + j * s.channels, s.headDim) }
            grads[m] = SIMDMath.dot(gi, v + kvo + j * s.channels, s.headDim)
            rowDot += row[j] * grads[m]
          }
          for m in 0..<count {
            let j = keys[m]
            let dscore = scale * row[j] * (grads[m] - rowDot)
            if let dq { SIMDMath.axpy(dscore, k + kvo + j * s.channels, dq + qo + i * s.channels, s.headDim) }
            if let dk { SIMDMath.axpy(dscore, q + qo + i * s.channels, dk + kvo + j * s.channels, s.headDim) }
          }
        }
      }
    }
  }
}
