// Parity of the row kernels (norms, activations, softmax, attention, pooling, dropout) and losses.
import Testing

@testable import Tensor

@Sendable func parityLayerNorm(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, c) = (133, 67)
  let (x, xv) = try p.input([n, c], scale: 3)
  let (w, wv) = try p.input([c])
  let (b, bv) = try p.input([c])
  let (out, mean, rstd) = (try p.cpu.zeros([n, c]), try p.cpu.zeros([n]), try p.cpu.zeros([n]))
  try p.cpu.run(.layerNormForward(x: x, weight: w, bias: b, out: out, mean: mean, rstd: rstd, epsilon: 1e-5))
  let ref = Reference.layerNorm(xv, weight: wv, bias: bv, n: n, c: c, epsilon: 1e-5)
  try p.expectForward("layerNorm", out, ref.out)
  try p.expectForward("layerNorm rstd", rstd, ref.rstd)
  let (dout, doutv) = try p.input([n, c])
  let (dx, dxBase) = try p.gradient([n, c])
  let (dw, dwBase) = try p.gradient([c])
  let (db, dbBase) = try p.gradient([c])
  try p.cpu.run(
    .layerNormBackward(dout: dout, x: x, weight: w, mean: mean, rstd: rstd, dx: dx, dweight: dw, dbias: db))
  let g = Reference.layerNormBackward(dout: doutv, xv, weight: wv, mean: ref.mean, rstd: ref.rstd, n: n, c: c)
  try p.expectBackward("layerNorm dx", dx, base: dxBase, g.dx)
  try p.expectBackward("layerNorm dweight", dw, base: dwBase, g.dweight)
  try p.expectBackward("layerNorm dbias", db, base: dbBase, g.dbias)
}

@Sendable func parityRMSNorm(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, c) = (133, 67)
  let (x, xv) = try p.input([n, c], scale: 3)
  let (w, wv) = try p.input([c])
  let (out, rstd) = (try p.cpu.zeros([n, c]), try p.cpu.zeros([n]))
  try p.cpu.run(.rmsNormForward(x: x, weight: w, out: out, rstd: rstd, epsilon: 1e-6))
  let ref = Reference.rmsNorm(xv, weight: wv, n: n, c: c, epsilon: 1e-6)
  try p.expectForward("rmsNorm", out, ref.out)
  let (dout, doutv) = try p.input([n, c])
  let (dx, dxBase) = try p.gradient([n, c])
  let (dw, dwBase) = try p.gradient([c])
  try p.cpu.run(.rmsNormBackward(dout: dout, x: x, weight: w, rstd: rstd, dx: dx, dweight: dw))
  let g = Reference.rmsNormBackward(dout: doutv, xv, weight: wv, rstd: ref.rstd, n: n, c: c)
  try p.expectBackward("rmsNorm dx", dx, base: dxBase, g.dx)
  try p.expectBackward("rmsNorm dweight", dw, base: dwBase, g.dweight)
}

@Sendable func parityActivation(_ seed: UInt64, _ kind: Activation) throws {
  var p = Parity(seed)
  let (x, xv) = try p.input([33, 257], scale: 5)
  let out = try p.cpu.zeros([33, 257])
  try p.cpu.run(.activationForward(kind, x: x, out: out))
  try p.expectForward("\(kind)", out, Reference.activation(kind, xv))
  let (dout, doutv) = try p.input([33, 257])
  let (dx, base) = try p.gradient([33, 257])
  try p.cpu.run(.activationBackward(kind, dout: dout, x: x, dx: dx))
  try p.expectBackward("\(kind)", dx, base: base, Reference.activationBackward(kind, dout: doutv, xv))
}

@Sendable func paritySwiglu(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, h) = (33, 67)
  let (x, xv) = try p.input([n, 2 * h], scale: 4)
  let out = try p.cpu.zeros([n, h])
  try p.cpu.run(.swigluForward(x: x, out: out))
  try p.expectForward("swiglu", out, Reference.swiglu(xv, n: n, hidden: h))
  let (dout, doutv) = try p.input([n, h])
  let (dx, base) = try p.gradient([n, 2 * h])
  try p.cpu.run(.swigluBackward(dout: dout, x: x, dx: dx))
  try p.expectBackward("swiglu", dx, base: base, Reference.swigluBackward(dout: doutv, xv, n: n, hidden: h))
}

@Sendable func paritySoftmax(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, c) = (133, 67)
  let (x, xv) = try p.input([n, c], scale: 6)
  let probs = try p.cpu.zeros([n, c])
  try p.cpu.run(.softmaxForward(x: x, probs: probs))
  let ref = Reference.softmax(xv, n: n, c: c)
  try p.expectForward("softmax", probs, ref)
  let (dout, doutv) = try p.input([n, c])
  let (dx, base) = try p.gradient([n, c])
  try p.cpu.run(.softmaxBackward(dout: dout, probs: probs, dx: dx))
  try p.expectBackward(
    "softmax", dx, base: base, Reference.softmaxBackward(dout: doutv, probs: ref, n: n, c: c))
}

@Sendable func parityAttention(_ seed: UInt64) throws {
  var p = Parity(seed)
  let s = Reference.AttentionShape(batch: 2, queries: 9, keys: 13, heads: 3, headDim: 8)
  let (bb, bh) = (p.data.pick([1, 2]), p.data.pick([1, 3]))
  // Additive bias with hidden keys (-inf); the last query of the first bias row is fully hidden.
  var biasValues = p.data.floats(bb * bh * s.queries * s.keys).map { $0 < -0.5 ? -Float.infinity : $0 }
  for j in 0..<s.keys { biasValues[(s.queries - 1) * s.keys + j] = -.infinity }
  let mask = try p.cpu.tensor(biasValues, shape: [bb, bh, s.queries, s.keys])
  let (q, qv) = try p.input([2, 9, 24])
  let (k, kv) = try p.input([2, 13, 24])
  let (v, vv) = try p.input([2, 13, 24])
  let (out, probs) = (try p.cpu.zeros([2, 9, 24]), try p.cpu.zeros([2, 3, 9, 13]))
  try p.cpu.run(.attentionForward(q: q, k: k, v: v, mask: .additive(mask), heads: 3, out: out, probs: probs))
  let bias = biasValues.map(Double.init)
  let ref = Reference.attention(q: qv, k: kv, v: vv, bias: bias, biasBatch: bb, biasHeads: bh, s)
  try p.expectForward("attention", out, ref.out)
  try p.expectForward("attention probs", probs, ref.probs)
  try expectAttentionBackward(
    &p, "attention", q: (q, qv), k: (k, kv), v: (v, vv), probs: probs, referenceProbs: ref.probs, s)
  // Key padding gives the same result as the equivalent additive bias.
  let keep: [Float] = (0..<(2 * 13)).map { $0 % 13 < 10 - 4 * ($0 / 13) ? 1 : 0 }
  let padded = try p.cpu.attention(
    q: q, k: k, v: v, heads: 3, mask: .keyPadding(p.cpu.tensor(keep, shape: [2, 13])))
  let padBias = (0..<2).flatMap { b in
    (0..<9).flatMap { _ in (0..<13).map { j in keep[b * 13 + j] > 0 ? 0.0 : -Double.infinity } }
  }
  let padRef = Reference.attention(q: qv, k: kv, v: vv, bias: padBias, biasBatch: 2, biasHeads: 1, s)
  try p.expectForward("attention key padding", padded, padRef.out)
}

/// Runs the attention backward from random output gradients; dq, dk, dv against the float64 reference.
private func expectAttentionBackward(
  _ p: inout Parity, _ label: String, q: (Tensor, [Double]), k: (Tensor, [Double]), v: (Tensor, [Double]),
  probs: Tensor, referenceProbs: [Double], _ s: Reference.AttentionShape
) throws {
  let (dout, doutv) = try p.input(q.0.shape)
  let (dq, dqBase) = try p.gradient(q.0.shape)
  let (dk, dkBase) = try p.gradient(k.0.shape)
  let (dv, dvBase) = try p.gradient(v.0.shape)
  try p.cpu.run(
    .attentionBackward(
      dout: dout, q: q.0, k: k.0, v: v.0, probs: probs, heads: s.heads, dq: dq, dk: dk, dv: dv))
  let g = Reference.attentionBackward(dout: doutv, q: q.1, k: k.1, v: v.1, probs: referenceProbs, s)
  try p.expectBackward("\(label) dq", dq, base: dqBase, g.dq)
  try p.expectBackward("\(label) dk", dk, base: dkBase, g.dk)
  try p.expectBackward("\(label) dv", dv, base: dvBase, g.dv)
}

@Sendable func parityMeanPool(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (b, t, c) = (3, 33, 67)
  let keepValues: [Float] = (0..<(b * t)).map { $0 % t < 5 + 11 * ($0 / t) ? 1 : 0 }
  let keep = try p.cpu.tensor(keepValues, shape: [b, t])
  let (x, xv) = try p.input([b, t, c])
  let out = try p.cpu.meanPool(x, keep: keep)
  let kv = keepValues.map(Double.init)
  try p.expectForward("meanPool", out, Reference.meanPool(xv, keep: kv, b: b, t: t, c: c))
  let (dout, doutv) = try p.input([b, c])
  let (dx, base) = try p.gradient([b, t, c])
  try p.cpu.run(.meanPoolBackward(dout: dout, keep: keep, dx: dx))
  try p.expectBackward(
    "meanPool", dx, base: base, Reference.meanPoolBackward(dout: doutv, keep: kv, b: b, t: t, c: c))
}

@Sendable func parityL2Normalize(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, c) = (33, 67)
  let (x, xv) = try p.input([n, c])
  let (out, norm) = (try p.cpu.zeros([n, c]), try p.cpu.zeros([n]))
  try p.cpu.run(.l2NormalizeForward(x: x, out: out, norm: norm, epsilon: 1e-12))
  let ref = Reference.l2Normalize(xv, n: n, c: c, epsilon: 1e-12)
  try p.expectForward("l2Normalize", out, ref.out)
  let (dout, doutv) = try p.input([n, c])
  let (dx, base) = try p.gradient([n, c])
  try p.cpu.run(.l2NormalizeBackward(dout: dout, out: out, norm: norm, epsilon: 1e-12, dx: dx))
  let g = Reference.l2NormalizeBackward(dout: doutv, out: ref.out, norm: ref.norm, n: n, c: c, epsilon: 1e-12)
  try p.expectBackward("l2Normalize", dx, base: base, g)
}

@Sendable func parityDropout(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (x, xv) = try p.input([33, 257])
  let out = try p.cpu.zeros([33, 257])
  try p.cpu.run(.dropoutForward(x: x, out: out, probability: 0.25, seed: seed))
  try p.expectForward("dropout", out, Reference.dropout(xv, probability: 0.25, seed: seed))
  let (dx, base) = try p.gradient([33, 257])
  try p.cpu.run(.dropoutBackward(dout: x, dx: dx, probability: 0.25, seed: seed))
  try p.expectBackward(
    "dropout", dx, base: base, Reference.dropoutBackward(dout: xv, probability: 0.25, seed: seed))
  let dropped = try p.read(out).filter { $0 == 0 }.count
  #expect(abs(Double(dropped) / Double(33 * 257) - 0.25) < 0.03, "dropout rate, seed \(seed)")
}

/// A packed bit mask gives the same attention as the additive 0/-inf mask built from the same flags.
@Test func packedMaskMatchesAdditiveMask() throws {
  var p = Parity(freshSeed())
  let (b, t, keys, heads) = (2, 7, 37, 2)
  for (maskBatch, maskHeads) in [(1, 1), (b, heads), (b, 1)] {
    var keep = (0..<(maskBatch * maskHeads * t * keys)).map { _ in p.data.int(0..<3) > 0 }
    for j in 0..<keys { keep[2 * keys + j] = false }  // one query sees nothing
    let shape = [maskBatch, maskHeads, t, keys]
    let packed = try AttentionMasks.packed(fromKeep: keep, shape: shape, on: p.cpu)
    let additive = try AttentionMasks.additive(fromKeep: keep, shape: shape, on: p.cpu)
    let (q, qv) = try p.input([b, t, 16])
    let (k, kv) = try p.input([b, keys, 16])
    let (v, vv) = try p.input([b, keys, 16])
    let fromPacked = try p.cpu.attention(q: q, k: k, v: v, heads: heads, mask: packed)
    let fromAdditive = try p.cpu.attention(q: q, k: k, v: v, heads: heads, mask: additive)
    #expect(try p.read(fromPacked) == p.read(fromAdditive), "packed vs additive \(shape), seed \(p.seed)")
    let bias = keep.map { $0 ? 0.0 : -Double.infinity }
    let s = Reference.AttentionShape(batch: b, queries: t, keys: keys, heads: heads, headDim: 8)
    let ref = Reference.attention(
      q: qv, k: kv, v: vv, bias: bias, biasBatch: maskBatch, biasHeads: maskHeads, s)
    try p.expectForward("attention packed mask \(shape)", fromPacked, ref.out)
  }
  // 33 keys need 2 words per row: one word is refused.
  let oneWord = try p.cpu.tensor(ids: [-1], shape: [1, 1, 1, 1])
  #expect(throws: TensorError.self) {
    _ = try p.cpu.attention(
      q: p.cpu.zeros([1, 1, 4]), k: p.cpu.zeros([1, 33, 4]), v: p.cpu.zeros([1, 33, 4]), heads: 1,
      mask: .packedKeep(oneWord))
  }
}

/// A sparse packed mask (about 8% of the keys visible, below the engine's density limit) runs the gather kernels:
/// outputs, probabilities and gradients against the float64 reference with the same mask as 0/-inf bias.
@Test func sparsePackedMaskMatchesReference() throws {
  var p = Parity(freshSeed())
  let s = Reference.AttentionShape(batch: 2, queries: 40, keys: 70, heads: 2, headDim: 8)
  for (maskBatch, maskHeads) in [(1, 1), (2, 2)] {
    var keep = (0..<(maskBatch * maskHeads * s.queries * s.keys)).map { _ in p.data.int(0..<12) == 0 }
    for j in 0..<s.keys { keep[3 * s.keys + j] = false }  // one query sees nothing
    let shape = [maskBatch, maskHeads, s.queries, s.keys]
    let mask = try AttentionMasks.packed(fromKeep: keep, shape: shape, on: p.cpu)
    let (q, qv) = try p.input([2, 40, 16])
    let (k, kv) = try p.input([2, 70, 16])
    let (v, vv) = try p.input([2, 70, 16])
    let (out, probs) = (try p.cpu.zeros([2, 40, 16]), try p.cpu.zeros([2, 2, 40, 70]))
    try p.cpu.run(.attentionForward(q: q, k: k, v: v, mask: mask, heads: 2, out: out, probs: probs))
    let bias = keep.map { $0 ? 0.0 : -Double.infinity }
    let ref = Reference.attention(
      q: qv, k: kv, v: vv, bias: bias, biasBatch: maskBatch, biasHeads: maskHeads, s)
    try p.expectForward("sparse attention \(shape)", out, ref.out)
    try p.expectForward("sparse attention probs \(shape)", probs, ref.probs)
    try expectAttentionBackward(
      &p, "sparse attention \(shape)", q: (q, qv), k: (k, kv), v: (v, vv), probs: probs,
      referenceProbs: ref.probs, s)
  }
}
