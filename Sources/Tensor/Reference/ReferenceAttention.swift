// Reference masked multi-head attention: scores = q k^T / sqrt(Dh) + bias, softmax, times v.
extension Reference {
  /// Shapes of one attention call: q[B,Tq,H*Dh], k,v[B,Tk,H*Dh].
  public struct AttentionShape: Sendable {
    public var batch: Int, queries: Int, keys: Int, heads: Int, headDim: Int
    public init(batch: Int, queries: Int, keys: Int, heads: Int, headDim: Int) {
      (self.batch, self.queries, self.keys, self.heads, self.headDim) = (batch, queries, keys, heads, headDim)
    }
    var channels: Int { heads * headDim }
  }

  /// The additive mask bias for (b, h, i, j): `bias` is [Bm, Hm, Tq, Tk] with Bm in {1,B}, Hm in {1,H}.
  public static func maskValue<T: BinaryFloatingPoint>(
    _ bias: [T]?, biasBatch: Int, biasHeads: Int, _ s: AttentionShape, b: Int, h: Int, i: Int, j: Int
  ) -> T {
    guard let bias else { return 0 }
    let bb = biasBatch == 1 ? 0 : b
    let hh = biasHeads == 1 ? 0 : h
    return bias[((bb * biasHeads + hh) * s.queries + i) * s.keys + j]
  }

  /// out[B,Tq,H*Dh], probs[B,H,Tq,Tk]. A query whose keys are all masked (-inf) gets zeros.
  public static func attention<T: BinaryFloatingPoint>(
    q: [T], k: [T], v: [T], bias: [T]?, biasBatch: Int = 1, biasHeads: Int = 1, _ s: AttentionShape
  ) -> (out: [T], probs: [T]) {
    let c = s.channels
    var out = [T](repeating: 0, count: s.batch * s.queries * c)
    var probs = [T](repeating: 0, count: s.batch * s.heads * s.queries * s.keys)
    let scale = 1 / T(s.headDim).squareRoot()
    for b in 0..<s.batch {
      for h in 0..<s.heads {
        for i in 0..<s.queries {
          var scores = [T](repeating: 0, count: s.keys)
          for j in 0..<s.keys {
            var dot: T = 0
            for d in 0..<s.headDim {
              dot +=
                q[(b * s.queries + i) * c + h * s.headDim + d] * k[(b * s.keys + j) * c + h * s.headDim + d]
            }
            let m: T = maskValue(bias, biasBatch: biasBatch, biasHeads: biasHeads, s, b: b, h: h, i: i, j: j)
            scores[j] = dot * scale + m
          }
          let p = softmax(scores, n: 1, c: s.keys)
          for j in 0..<s.keys {
            probs[((b * s.heads + h) * s.queries + i) * s.keys + j] = p[j]
            for d in 0..<s.headDim {
              out[(b * s.queries + i) * c + h * s.headDim + d] +=
                p[j] * v[(b * s.keys + j) * c + h * s.headDim + d]
            }
          }
        }
      }
    }
    return (out, probs)
  }

  /// dq, dk, dv of `attention` from its saved probabilities.
  public static func attentionBackward<T: BinaryFloatingPoint>(
    dout: [T], q: [T], k: [T], v: [T], probs: [T], _ s: AttentionShape
  ) -> (dq: [T], dk: [T], dv: [T]) {
    let c = s.channels
    var dq = [T](repeating: 0, count: q.count)
    var dk = [T](repeating: 0, count: k.count)
    var dv = [T](repeating: 0, count: v.count)
    let scale = 1 / T(s.headDim).squareRoot()
    for b in 0..<s.batch {
      for h in 0..<s.heads {
        for i in 0..<s.queries {
          let qRow = (b * s.queries + i) * c + h * s.headDim
          let pRow = ((b * s.heads + h) * s.queries + i) * s.keys
          var dp = [T](repeating: 0, count: s.keys)
          for j in 0..<s.keys {
            let kvRow = (b * s.keys + j) * c + h * s.headDim
            for d in 0..<s.headDim {
              dp[j] += dout[qRow + d] * v[kvRow + d]
              dv[kvRow + d] += probs[pRow + j] * dout[qRow + d]
            }
          }
          let p = Array(probs[pRow..<(pRow + s.keys)])
          let ds = softmaxBackward(dout: dp, probs: p, n: 1, c: s.keys)
          for j in 0..<s.keys {
            let kvRow = (b * s.keys + j) * c + h * s.headDim
            for d in 0..<s.headDim {
              dq[qRow + d] += ds[j] * scale * k[kvRow + d]
              dk[kvRow + d] += ds[j] * scale * q[qRow + d]
            }
          }
        }
      }
    }
    return (dq, dk, dv)
  }
}
