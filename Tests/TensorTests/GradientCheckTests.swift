// Every reference backward pass against central finite differences in Float64, on random inputs with
// a fresh seed per run and awkward sizes (1, 7, 33). `Op.allCases` is walked: an op without a check
// fails `everyOpHasAGradientCheck`.
import Testing

@testable import Tensor

typealias GradientCheck = @Sendable (UInt64) -> Void

let gradientChecks: [Op: GradientCheck] = [
  .matmul: gradMatmul, .batchedMatmul: gradBatchedMatmul, .linear: gradLinear,
  .add: { gradBroadcast($0, multiply: false) }, .mul: { gradBroadcast($0, multiply: true) },
  .scale: gradScale, .embedding: gradEmbedding, .layerNorm: gradLayerNorm, .rmsNorm: gradRMSNorm,
  .geluErf: { gradActivation($0, .geluErf) }, .geluTanh: { gradActivation($0, .geluTanh) },
  .silu: { gradActivation($0, .silu) }, .swiglu: gradSwiglu, .softmax: gradSoftmax,
  .attention: gradAttention, .meanPool: gradMeanPool, .l2Normalize: gradL2Normalize, .dropout: gradDropout,
  .huberLoss: gradHuber, .bceWithLogits: gradBCE, .crossEntropy: gradCrossEntropy, .infoNCE: gradInfoNCE,
]

@Test func everyOpHasAGradientCheck() {
  for op in Op.allCases {
    #expect(gradientChecks[op] != nil, "op \(op) has no finite-difference gradient check")
  }
}

@Test(arguments: Op.allCases) func referenceGradientMatchesFiniteDifferences(_ op: Op) {
  guard let check = gradientChecks[op] else {
    Issue.record("op \(op) has no gradient check")
    return
  }
  check(freshSeed())
}

extension TestData {
  mutating func pick(_ choices: [Int]) -> Int { choices[int(0..<choices.count)] }
}

@Sendable func gradMatmul(_ seed: UInt64) {
  var d = TestData(seed: seed)
  for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
    let (m, n, k) = (d.pick([1, 7]), d.pick([1, 5]), d.pick([1, 7, 33]))
    let (a, b, r) = (d.values(m * k), d.values(k * n), d.values(m * n))
    let zeros = [Double](repeating: 0, count: m * n)
    let g = Reference.matmulBackward(dc: r, a, b, m: m, n: n, k: k, transposeA: ta, transposeB: tb)
    let label = "matmul \(m)x\(n)x\(k) ta=\(ta) tb=\(tb)"
    checkGradient("\(label) da", seed: seed, input: a, analytic: g.da) {
      weightedSum(Reference.matmul($0, b, zeros, m: m, n: n, k: k, transposeA: ta, transposeB: tb), r)
    }
    checkGradient("\(label) db", seed: seed, input: b, analytic: g.db) {
      weightedSum(Reference.matmul(a, $0, zeros, m: m, n: n, k: k, transposeA: ta, transposeB: tb), r)
    }
  }
}

@Sendable func gradBatchedMatmul(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (bt, m, n, k) = (d.pick([1, 3]), d.pick([1, 7]), d.pick([1, 5]), d.pick([1, 7]))
  let (ta, tb) = (d.int(0..<2) == 1, d.int(0..<2) == 1)
  let (a, b, r) = (d.values(bt * m * k), d.values(bt * k * n), d.values(bt * m * n))
  let g = Reference.batchedMatmulBackward(
    dc: r, a, b, batch: bt, m: m, n: n, k: k, transposeA: ta, transposeB: tb)
  checkGradient("batchedMatmul da", seed: seed, input: a, analytic: g.da) {
    weightedSum(
      Reference.batchedMatmul($0, b, batch: bt, m: m, n: n, k: k, transposeA: ta, transposeB: tb), r)
  }
  checkGradient("batchedMatmul db", seed: seed, input: b, analytic: g.db) {
    weightedSum(
      Reference.batchedMatmul(a, $0, batch: bt, m: m, n: n, k: k, transposeA: ta, transposeB: tb), r)
  }
}

@Sendable func gradLinear(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, i, o) = (d.pick([1, 7]), d.pick([1, 33]), d.pick([1, 7]))
  let (x, w, b, r) = (d.values(n * i), d.values(o * i), d.values(o), d.values(n * o))
  let g = Reference.linearBackward(dout: r, x, w, n: n, inDim: i, outDim: o)
  checkGradient("linear dx", seed: seed, input: x, analytic: g.dx) {
    weightedSum(Reference.linear($0, w, b, n: n, inDim: i, outDim: o), r)
  }
  checkGradient("linear dw", seed: seed, input: w, analytic: g.dw) {
    weightedSum(Reference.linear(x, $0, b, n: n, inDim: i, outDim: o), r)
  }
  checkGradient("linear dbias", seed: seed, input: b, analytic: g.dbias) {
    weightedSum(Reference.linear(x, w, $0, n: n, inDim: i, outDim: o), r)
  }
}

/// Broadcast shape pairs (a, b, out) covering same shape, trailing rows, leading 1s and middle 1s.
let broadcastCases: [([Int], [Int], [Int])] = [
  ([7, 33], [7, 33], [7, 33]), ([7, 33], [33], [7, 33]), ([1, 33], [7, 33], [7, 33]),
  ([3, 1, 5], [1, 4, 5], [3, 4, 5]), ([7, 1], [7, 5], [7, 5]), ([1], [2, 3], [2, 3]),
]

@Sendable func gradBroadcast(_ seed: UInt64, multiply: Bool) {
  var d = TestData(seed: seed)
  for (aShape, bShape, outShape) in broadcastCases {
    let a = d.values(aShape.reduce(1, *))
    let b = d.values(bShape.reduce(1, *))
    let r = d.values(outShape.reduce(1, *))
    let g = Reference.broadcastBinaryBackward(
      dout: r, a, aShape: aShape, b, bShape: bShape, outShape: outShape, multiply: multiply)
    let label = "\(multiply ? "mul" : "add") \(aShape) \(bShape)"
    checkGradient("\(label) da", seed: seed, input: a, analytic: g.da) {
      weightedSum(
        Reference.broadcastBinary(
          $0, aShape: aShape, b, bShape: bShape, outShape: outShape, multiply: multiply), r)
    }
    checkGradient("\(label) db", seed: seed, input: b, analytic: g.db) {
      weightedSum(
        Reference.broadcastBinary(
          a, aShape: aShape, $0, bShape: bShape, outShape: outShape, multiply: multiply), r)
    }
  }
}

@Sendable func gradScale(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (x, r) = (d.values(33), d.values(33))
  let factor = d.values(1, scale: 3)[0]
  checkGradient("scale dx", seed: seed, input: x, analytic: Reference.scaleBackward(dout: r, factor: factor))
  {
    weightedSum(Reference.scale($0, factor: factor), r)
  }
}

@Sendable func gradEmbedding(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (vocabulary, dim, count) = (d.pick([1, 7]), d.pick([1, 33]), d.pick([1, 7, 33]))
  let ids = (0..<count).map { _ in d.int(0..<vocabulary) }
  let (table, r) = (d.values(vocabulary * dim), d.values(count * dim))
  let g = Reference.embeddingBackward(dout: r, ids: ids, vocabulary: vocabulary, dim: dim)
  checkGradient("embedding dtable", seed: seed, input: table, analytic: g) {
    weightedSum(Reference.embedding(ids: ids, table: $0, dim: dim), r)
  }
}

@Sendable func gradLayerNorm(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, c) = (d.pick([1, 7]), d.pick([2, 7, 33]))
  let (x, w, b, r) = (d.values(n * c, scale: 3), d.values(c), d.values(c), d.values(n * c))
  let fwd = Reference.layerNorm(x, weight: w, bias: b, n: n, c: c, epsilon: 1e-5)
  let g = Reference.layerNormBackward(dout: r, x, weight: w, mean: fwd.mean, rstd: fwd.rstd, n: n, c: c)
  checkGradient("layerNorm dx", seed: seed, input: x, analytic: g.dx) {
    weightedSum(Reference.layerNorm($0, weight: w, bias: b, n: n, c: c, epsilon: 1e-5).out, r)
  }
  checkGradient("layerNorm dweight", seed: seed, input: w, analytic: g.dweight) {
    weightedSum(Reference.layerNorm(x, weight: $0, bias: b, n: n, c: c, epsilon: 1e-5).out, r)
  }
  checkGradient("layerNorm dbias", seed: seed, input: b, analytic: g.dbias) {
    weightedSum(Reference.layerNorm(x, weight: w, bias: $0, n: n, c: c, epsilon: 1e-5).out, r)
  }
}

@Sendable func gradRMSNorm(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, c) = (d.pick([1, 7]), d.pick([1, 7, 33]))
  let (x, w, r) = (d.values(n * c, scale: 3), d.values(c), d.values(n * c))
  let fwd = Reference.rmsNorm(x, weight: w, n: n, c: c, epsilon: 1e-6)
  let g = Reference.rmsNormBackward(dout: r, x, weight: w, rstd: fwd.rstd, n: n, c: c)
  checkGradient("rmsNorm dx", seed: seed, input: x, analytic: g.dx) {
    weightedSum(Reference.rmsNorm($0, weight: w, n: n, c: c, epsilon: 1e-6).out, r)
  }
  checkGradient("rmsNorm dweight", seed: seed, input: w, analytic: g.dweight) {
    weightedSum(Reference.rmsNorm(x, weight: $0, n: n, c: c, epsilon: 1e-6).out, r)
  }
}

@Sendable func gradActivation(_ seed: UInt64, _ kind: Activation) {
  var d = TestData(seed: seed)
  let (x, r) = (d.values(33, scale: 4), d.values(33))
  checkGradient("\(kind) dx", seed: seed, input: x, analytic: Reference.activationBackward(kind, dout: r, x))
  {
    weightedSum(Reference.activation(kind, $0), r)
  }
}

@Sendable func gradSwiglu(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, h) = (d.pick([1, 7]), d.pick([1, 7]))
  let (x, r) = (d.values(n * 2 * h, scale: 3), d.values(n * h))
  checkGradient(
    "swiglu dx", seed: seed, input: x, analytic: Reference.swigluBackward(dout: r, x, n: n, hidden: h)
  ) {
    weightedSum(Reference.swiglu($0, n: n, hidden: h), r)
  }
}

@Sendable func gradSoftmax(_ seed: UInt64) {
  var d = TestData(seed: seed)
  let (n, c) = (d.pick([1, 7]), d.pick([1, 7, 33]))
  let (x, r) = (d.values(n * c, scale: 4), d.values(n * c))
  let probs = Reference.softmax(x, n: n, c: c)
  checkGradient(
    "softmax dx", seed: seed, input: x, analytic: Reference.softmaxBackward(dout: r, probs: probs, n: n, c: c)
  ) {
    weightedSum(Reference.softmax($0, n: n, c: c), r)
  }
}
