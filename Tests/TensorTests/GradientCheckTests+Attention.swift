// Finite-difference checks of the reference attention, pooling, normalisation, dropout and losses.
import Testing

@testable import Tensor

@Sendable func gradAttention(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let s = Reference.AttentionShape(
    batch: d.pick([1, 2]), queries: d.pick([1, 3]), keys: d.pick([1, 4]), heads: d.pick([1, 2]), headDim: 3)
  let biasBatch = d.pick([1, s.batch])
  let biasHeads = d.pick([1, s.heads])
  // Bias: finite values with some -infinity (hidden keys); a row may be fully hidden.
  let bias = d.values(biasBatch * biasHeads * s.queries * s.keys).map { $0 < -0.6 ? -Double.infinity : $0 }
  let count = s.batch * s.queries * s.heads * s.headDim
  let kvCount = s.batch * s.keys * s.heads * s.headDim
  let (q, k, v, r) = (d.values(count), d.values(kvCount), d.values(kvCount), d.values(count))
  func run(_ q: [Double], _ k: [Double], _ v: [Double]) -> [Double] {
    Reference.attention(q: q, k: k, v: v, bias: bias, biasBatch: biasBatch, biasHeads: biasHeads, s).out
  }
  let probs = Reference.attention(q: q, k: k, v: v, bias: bias, biasBatch: biasBatch, biasHeads: biasHeads, s)
    .probs
  let g = Reference.attentionBackward(dout: r, q: q, k: k, v: v, probs: probs, s)
  checkGradient("attention dq", seed: seed, input: q, analytic: g.dq) { weightedSum(run($0, k, v), r) }
  checkGradient("attention dk", seed: seed, input: k, analytic: g.dk) { weightedSum(run(q, $0, v), r) }
  checkGradient("attention dv", seed: seed, input: v, analytic: g.dv) { weightedSum(run(q, k, $0), r) }
}

@Sendable func gradMeanPool(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (b, t, c) = (d.pick([1, 2]), d.pick([1, 7]), d.pick([1, 7]))
  let keep = (0..<(b * t)).map { $0 % t == 0 || d.int(0..<2) == 1 ? 1.0 : 0.0 }
  let (x, r) = (d.values(b * t * c), d.values(b * c))
  checkGradient(
    "meanPool dx", seed: seed, input: x,
    analytic: Reference.meanPoolBackward(dout: r, keep: keep, b: b, t: t, c: c)
  ) { weightedSum(Reference.meanPool($0, keep: keep, b: b, t: t, c: c), r) }
}

@Sendable func gradL2Normalize(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, c) = (d.pick([1, 7]), d.pick([1, 7, 33]))
  let (x, r) = (d.values(n * c), d.values(n * c))
  let fwd = Reference.l2Normalize(x, n: n, c: c, epsilon: 1e-12)
  let g = Reference.l2NormalizeBackward(dout: r, out: fwd.out, norm: fwd.norm, n: n, c: c, epsilon: 1e-12)
  checkGradient("l2Normalize dx", seed: seed, input: x, analytic: g) {
    weightedSum(Reference.l2Normalize($0, n: n, c: c, epsilon: 1e-12).out, r)
  }
}

@Sendable func gradDropout(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (x, r) = (d.values(33), d.values(33))
  let g = Reference.dropoutBackward(dout: r, probability: 0.3, seed: seed)
  #expect(g.contains(0) && g.contains { $0 != 0 }, "dropout keeps some and drops some, seed \(seed)")
  checkGradient("dropout dx", seed: seed, input: x, analytic: g) {
    weightedSum(Reference.dropout($0, probability: 0.3, seed: seed), r)
  }
}

@Sendable func gradHuber(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (p, t) = (d.values(33, scale: 3), d.values(33, scale: 3))
  let g = Reference.huberLossBackward(p, t, delta: 1, dloss: 1.5)
  checkGradient("huber dpred", seed: seed, input: p, analytic: g) {
    1.5 * Reference.huberLoss($0, t, delta: 1)
  }
}

@Sendable func gradBCE(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (z, t) = (d.values(33, scale: 5), d.values(33).map { abs($0) })
  let g = Reference.bceWithLogitsBackward(z, t, dloss: 0.7)
  checkGradient("bce dlogits", seed: seed, input: z, analytic: g) { 0.7 * Reference.bceWithLogits($0, t) }
}

@Sendable func gradCrossEntropy(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, c) = (d.pick([2, 7]), d.pick([1, 7, 33]))
  let targets = (0..<n).map { $0 == 1 ? -1 : d.int(0..<c) }
  let logits = d.values(n * c, scale: 4)
  let fwd = Reference.crossEntropy(logits, targets: targets, n: n, c: c)
  let g = Reference.crossEntropyBackward(probs: fwd.probs, targets: targets, n: n, c: c, dloss: 1.3)
  checkGradient("crossEntropy dlogits", seed: seed, input: logits, analytic: g) {
    1.3 * Reference.crossEntropy($0, targets: targets, n: n, c: c).loss
  }
}

@Sendable func gradInfoNCE(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, m, dim) = (d.pick([1, 7]), d.pick([1, 7]), d.pick([1, 7, 33]))
  let targets = (0..<n).map { _ in d.int(0..<m) }
  let (q, c) = (d.values(n * dim), d.values(m * dim))
  let tau = 0.07 + d.values(1, scale: 0.05)[0].magnitude
  func loss(_ q: [Double], _ c: [Double]) -> Double {
    Reference.infoNCE(queries: q, candidates: c, targets: targets, n: n, m: m, d: dim, temperature: tau).loss
  }
  let probs = Reference.infoNCE(
    queries: q, candidates: c, targets: targets, n: n, m: m, d: dim, temperature: tau
  ).probs
  let g = Reference.infoNCEBackward(
    queries: q, candidates: c, probs: probs, targets: targets, n: n, m: m, d: dim, temperature: tau, dloss: 1)
  checkGradient("infoNCE dqueries", seed: seed, input: q, analytic: g.dqueries) { loss($0, c) }
  checkGradient("infoNCE dcandidates", seed: seed, input: c, analytic: g.dcandidates) { loss(q, $0) }
}
