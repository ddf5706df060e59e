// Every fast CPU kernel (BLAS, SIMD, threaded; f32, 2 workers) against the reference in Float64,
// forward and backward, with the relative error printed. Gradient buffers start non-zero, so the
// tests also check that backward ADDS into them. Walks `Op.allCases` like the gradient checks.
import TestSupport
import Testing

@testable import Tensor

typealias ParityCheck = @Sendable (UInt64) throws -> Void

let parityChecks: [Op: ParityCheck] = [
  .matmul: parityMatmul, .batchedMatmul: parityBatchedMatmul, .linear: parityLinear,
  .add: { try parityBroadcast($0, multiply: false) }, .mul: { try parityBroadcast($0, multiply: true) },
  .scale: parityScale, .embedding: parityEmbedding, .layerNorm: parityLayerNorm, .rmsNorm: parityRMSNorm,
  .geluErf: { try parityActivation($0, .geluErf) }, .geluTanh: { try parityActivation($0, .geluTanh) },
  .silu: { try parityActivation($0, .silu) }, .swiglu: paritySwiglu, .softmax: paritySoftmax,
  .attention: parityAttention, .meanPool: parityMeanPool, .l2Normalize: parityL2Normalize,
  .dropout: parityDropout, .huberLoss: parityHuber, .bceWithLogits: parityBCE,
  .crossEntropy: parityCrossEntropy, .infoNCE: parityInfoNCE,
]

@Test func everyOpHasAParityCheck() {
  for op in Op.allCases {
    #expect(parityChecks[op] != nil, "op \(op) has no CPU-vs-reference parity check")
  }
}

@Test(arguments: Op.allCases) func cpuKernelMatchesReference(_ op: Op) throws {
  guard let check = parityChecks[op] else {
    Issue.record("op \(op) has no parity check")
    return
  }
  try check(freshSeed())
}

/// Random f32 tensors on a 2-worker CPU backend, with their values widened to Double for the reference.
struct Parity {
  let cpu = CPUBackend(threads: 2)
  var data: TestData
  var seed: UInt64 { data.seed }

  init(_ seed: UInt64) { data = TestData(seed: seed) }

  mutating func input(_ shape: [Int], scale: Double = 1) throws -> (Tensor, [Double]) {
    let values = data.floats(shape.reduce(1, *), scale: scale)
    return (try cpu.tensor(values, shape: shape), values.map(Double.init))
  }

  /// A gradient buffer pre-filled with small random values (backward must add to them).
  mutating func gradient(_ shape: [Int]) throws -> (Tensor, [Double]) {
    try input(shape, scale: 0.1)
  }

  func read(_ t: Tensor) throws -> [Double] { try cpu.copyOut(t).map(Double.init) }

  /// What backward added to a pre-filled gradient buffer.
  func added(_ t: Tensor, _ base: [Double]) throws -> [Double] {
    zip(try read(t), base).map { $0 - $1 }
  }

  func expectForward(_ label: String, _ t: Tensor, _ reference: [Double], tolerance: Double = 2e-5) throws {
    reportParity("\(label) forward", relativeError(try read(t), reference), tolerance: tolerance, seed: seed)
  }

  func expectBackward(
    _ label: String, _ t: Tensor, base: [Double], _ reference: [Double], tolerance: Double = 1e-4
  ) throws {
    reportParity(
      "\(label) backward", relativeError(try added(t, base), reference), tolerance: tolerance, seed: seed)
  }
}

@Sendable func parityMatmul(_ seed: UInt64) throws {
  var p = Parity(seed)
  for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
    let (m, n, k) = (33, 65, 17)
    let (a, av) = try p.input(ta ? [k, m] : [m, k])
    let (b, bv) = try p.input(tb ? [n, k] : [k, n])
    let (c, cv) = try p.input([m, n])
    try p.cpu.run(.matmul(a: a, b: b, c: c, transposeA: ta, transposeB: tb, alpha: 0.5, beta: 0.3))
    let ref = Reference.matmul(
      av, bv, cv, m: m, n: n, k: k, transposeA: ta, transposeB: tb, alpha: 0.5, beta: 0.3)
    try p.expectForward("matmul ta=\(ta) tb=\(tb)", c, ref)
  }
  // Backward of c = a b is two matmuls: da += dc b^T, db += a^T dc.
  let (m, n, k) = (7, 33, 65)
  let (a, av) = try p.input([m, k])
  let (b, bv) = try p.input([k, n])
  let (dc, dcv) = try p.input([m, n])
  let (da, daBase) = try p.gradient([m, k])
  let (db, dbBase) = try p.gradient([k, n])
  try p.cpu.run(.matmul(a: dc, b: b, c: da, transposeA: false, transposeB: true, alpha: 1, beta: 1))
  try p.cpu.run(.matmul(a: a, b: dc, c: db, transposeA: true, transposeB: false, alpha: 1, beta: 1))
  let g = Reference.matmulBackward(dc: dcv, av, bv, m: m, n: n, k: k, transposeA: false, transposeB: false)
  try p.expectBackward("matmul da", da, base: daBase, g.da)
  try p.expectBackward("matmul db", db, base: dbBase, g.db)
}

@Sendable func parityBatchedMatmul(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (bt, m, n, k) = (3, 7, 33, 17)
  let (a, av) = try p.input([bt, m, k])
  let (b, bv) = try p.input([bt, n, k])
  let c = try p.cpu.zeros([bt, m, n])
  try p.cpu.run(.batchedMatmul(a: a, b: b, c: c, transposeA: false, transposeB: true, alpha: 1, beta: 0))
  let ref = Reference.batchedMatmul(av, bv, batch: bt, m: m, n: n, k: k, transposeA: false, transposeB: true)
  try p.expectForward("batchedMatmul", c, ref)
  let (dc, dcv) = try p.input([bt, m, n])
  let (da, daBase) = try p.gradient([bt, m, k])
  let (db, dbBase) = try p.gradient([bt, n, k])
  try p.cpu.run(.batchedMatmul(a: dc, b: b, c: da, transposeA: false, transposeB: false, alpha: 1, beta: 1))
  try p.cpu.run(.batchedMatmul(a: dc, b: a, c: db, transposeA: true, transposeB: false, alpha: 1, beta: 1))
  let g = Reference.batchedMatmulBackward(
    dc: dcv, av, bv, batch: bt, m: m, n: n, k: k, transposeA: false, transposeB: true)
  try p.expectBackward("batchedMatmul da", da, base: daBase, g.da)
  try p.expectBackward("batchedMatmul db", db, base: dbBase, g.db)
}

@Sendable func parityLinear(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, i, o) = (133, 65, 17)
  let (x, xv) = try p.input([n, i])
  let (w, wv) = try p.input([o, i])
  let (b, bv) = try p.input([o])
  let out = try p.cpu.zeros([n, o])
  try p.cpu.run(.linearForward(x: x, weight: w, bias: b, out: out))
  try p.expectForward("linear", out, Reference.linear(xv, wv, bv, n: n, inDim: i, outDim: o))
  let (dout, doutv) = try p.input([n, o])
  let (dx, dxBase) = try p.gradient([n, i])
  let (dw, dwBase) = try p.gradient([o, i])
  let (db, dbBase) = try p.gradient([o])
  try p.cpu.run(.linearBackward(dout: dout, x: x, weight: w, dx: dx, dweight: dw, dbias: db))
  let g = Reference.linearBackward(dout: doutv, xv, wv, n: n, inDim: i, outDim: o)
  try p.expectBackward("linear dx", dx, base: dxBase, g.dx)
  try p.expectBackward("linear dweight", dw, base: dwBase, g.dw)
  try p.expectBackward("linear dbias", db, base: dbBase, g.dbias)
}

@Sendable func parityBroadcast(_ seed: UInt64, multiply: Bool) throws {
  var p = Parity(seed)
  let cases = broadcastCases + [([133, 65], [65], [133, 65]), ([65], [133, 65], [133, 65])]
  for (aShape, bShape, outShape) in cases {
    let (a, av) = try p.input(aShape)
    let (b, bv) = try p.input(bShape)
    let out = try p.cpu.zeros(outShape)
    try p.cpu.run(multiply ? .mulForward(a: a, b: b, out: out) : .addForward(a: a, b: b, out: out))
    let label = "\(multiply ? "mul" : "add") \(aShape) \(bShape)"
    let ref = Reference.broadcastBinary(
      av, aShape: aShape, bv, bShape: bShape, outShape: outShape, multiply: multiply)
    try p.expectForward(label, out, ref)
    let (dout, doutv) = try p.input(outShape)
    let (da, daBase) = try p.gradient(aShape)
    let (db, dbBase) = try p.gradient(bShape)
    try p.cpu.run(
      multiply
        ? .mulBackward(dout: dout, a: a, b: b, da: da, db: db) : .addBackward(dout: dout, da: da, db: db))
    let g = Reference.broadcastBinaryBackward(
      dout: doutv, av, aShape: aShape, bv, bShape: bShape, outShape: outShape, multiply: multiply)
    try p.expectBackward("\(label) da", da, base: daBase, g.da)
    try p.expectBackward("\(label) db", db, base: dbBase, g.db)
  }
}

@Sendable func parityScale(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (x, xv) = try p.input([7, 33])
  let out = try p.cpu.zeros([7, 33])
  try p.cpu.run(.scaleForward(x: x, factor: -1.5, out: out))
  try p.expectForward("scale", out, Reference.scale(xv, factor: -1.5))
  let (dx, base) = try p.gradient([7, 33])
  try p.cpu.run(.scaleBackward(dout: x, factor: -1.5, dx: dx))
  try p.expectBackward("scale", dx, base: base, Reference.scaleBackward(dout: xv, factor: -1.5))
}

@Sendable func parityEmbedding(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (vocabulary, dim, count) = (7, 65, 133)
  let ids = (0..<count).map { _ in p.data.int(0..<vocabulary) }
  let idTensor = try p.cpu.tensor(ids: ids.map { Int32($0) }, shape: [count])
  let (table, tv) = try p.input([vocabulary, dim])
  let out = try p.cpu.zeros([count, dim])
  try p.cpu.run(.embeddingForward(ids: idTensor, table: table, out: out))
  try p.expectForward("embedding", out, Reference.embedding(ids: ids, table: tv, dim: dim))
  let (dout, doutv) = try p.input([count, dim])
  let (dtable, base) = try p.gradient([vocabulary, dim])
  try p.cpu.run(.embeddingBackward(dout: dout, ids: idTensor, dtable: dtable))
  let ref = Reference.embeddingBackward(dout: doutv, ids: ids, vocabulary: vocabulary, dim: dim)
  try p.expectBackward("embedding", dtable, base: base, ref)
}

/// Every small GEMM shape (1...9 in each dimension, all transposes, alpha/beta) against the reference:
/// the tinygrad fuzz_matmul idea, cheap enough to run always.
@Test func matmulShapeSweepMatchesReference() throws {
  var p = Parity(freshSeed())
  var worst = 0.0
  for m in [1, 2, 3, 8, 9] {
    for n in [1, 2, 7, 9] {
      for k in [1, 3, 8, 9] {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
          let (a, av) = try p.input(ta ? [k, m] : [m, k])
          let (b, bv) = try p.input(tb ? [n, k] : [k, n])
          let (c, cv) = try p.input([m, n])
          try p.cpu.run(.matmul(a: a, b: b, c: c, transposeA: ta, transposeB: tb, alpha: 1.5, beta: -0.5))
          let ref = Reference.matmul(
            av, bv, cv, m: m, n: n, k: k, transposeA: ta, transposeB: tb, alpha: 1.5, beta: -0.5)
          // Inputs are O(1): scale by at least 1 so cancellation in a 1x1 result is not a false alarm.
          worst = max(worst, relativeError(try p.read(c), ref, floor: 1))
        }
      }
    }
  }
  reportParity("matmul sweep", worst, tolerance: 1e-5, seed: p.seed)
}
