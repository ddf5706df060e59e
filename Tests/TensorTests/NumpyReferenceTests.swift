// Forward ops against numpy (float64, tools/make_tensor_fixtures.py): the reference implementations
// must match to ~1e-12 and the fast CPU kernels (f32, 2 workers) to ~1e-5.
import TestSupport
import Testing

@testable import Tensor

typealias F = NumpyFixtures

private let cpu = CPUBackend(threads: 2)

private func floats(_ values: [Double]) -> [Float] { values.map { Float($0) } }

private func expectClose(_ label: String, _ found: [Double], _ expected: [Double], tolerance: Double) {
  let error = relativeError(found, expected)
  #expect(error < tolerance, "\(label): relative error \(error) against numpy")
}

@Test func linearMatchesNumpy() throws {
  let ref = Reference.linear(F.linearX, F.linearW, F.linearB, n: 3, inDim: 5, outDim: 4)
  expectClose("reference linear", ref, F.linearOut, tolerance: 1e-12)
  let out = try cpu.linear(
    cpu.tensor(floats(F.linearX), shape: [3, 5]), weight: cpu.tensor(floats(F.linearW), shape: [4, 5]),
    bias: cpu.tensor(floats(F.linearB), shape: [4]))
  expectClose("cpu linear", try cpu.copyOut(out).map(Double.init), F.linearOut, tolerance: 1e-5)
}

@Test func normsMatchNumpy() throws {
  let ln = Reference.layerNorm(F.lnX, weight: F.lnW, bias: F.lnB, n: 4, c: 7, epsilon: 1e-5)
  expectClose("reference layerNorm", ln.out, F.lnOut, tolerance: 1e-12)
  let rms = Reference.rmsNorm(F.lnX, weight: F.lnW, n: 4, c: 7, epsilon: 1e-6)
  expectClose("reference rmsNorm", rms.out, F.rmsOut, tolerance: 1e-12)
  let x = try cpu.tensor(floats(F.lnX), shape: [2, 2, 7])
  let w = try cpu.tensor(floats(F.lnW), shape: [7])
  let lnOut = try cpu.layerNorm(x, weight: w, bias: cpu.tensor(floats(F.lnB), shape: [7]), epsilon: 1e-5)
  expectClose("cpu layerNorm", try cpu.copyOut(lnOut).map(Double.init), F.lnOut, tolerance: 1e-5)
  let rmsOut = try cpu.rmsNorm(x, weight: w, epsilon: 1e-6)
  expectClose("cpu rmsNorm", try cpu.copyOut(rmsOut).map(Double.init), F.rmsOut, tolerance: 1e-5)
}

@Test(arguments: Activation.allCases) func activationMatchesNumpy(_ kind: Activation) throws {
  let expected: [Double] = {
    switch kind {
    case .geluErf: return F.geluErf
    case .geluTanh: return F.geluTanh
    case .silu: return F.silu
    }
  }()
  expectClose("reference \(kind)", Reference.activation(kind, F.actX), expected, tolerance: 1e-12)
  let out = try cpu.activation(kind, cpu.tensor(floats(F.actX), shape: [3, 11]))
  expectClose("cpu \(kind)", try cpu.copyOut(out).map(Double.init), expected, tolerance: 1e-5)
}

@Test func swigluAndSoftmaxMatchNumpy() throws {
  expectClose("reference swiglu", Reference.swiglu(F.swigluX, n: 3, hidden: 4), F.swigluOut, tolerance: 1e-12)
  let sw = try cpu.swiglu(cpu.tensor(floats(F.swigluX), shape: [3, 8]))
  expectClose("cpu swiglu", try cpu.copyOut(sw).map(Double.init), F.swigluOut, tolerance: 1e-5)
  expectClose("reference softmax", Reference.softmax(F.softmaxX, n: 3, c: 6), F.softmaxOut, tolerance: 1e-12)
  let sm = try cpu.softmax(cpu.tensor(floats(F.softmaxX), shape: [3, 6]))
  expectClose("cpu softmax", try cpu.copyOut(sm).map(Double.init), F.softmaxOut, tolerance: 1e-5)
}

@Test func attentionPoolingAndNormalizeMatchNumpy() throws {
  let shape = Reference.AttentionShape(batch: 2, queries: 5, keys: 5, heads: 2, headDim: 3)
  let bias = (0..<2).flatMap { b in
    (0..<5).flatMap { _ in (0..<5).map { j in F.attnKeep[b * 5 + j] > 0 ? 0.0 : -Double.infinity } }
  }
  let ref = Reference.attention(q: F.attnQ, k: F.attnK, v: F.attnV, bias: bias, biasBatch: 2, shape)
  expectClose("reference attention", ref.out, F.attnOut, tolerance: 1e-12)
  let pooled = Reference.meanPool(ref.out, keep: F.attnKeep, b: 2, t: 5, c: 6)
  expectClose("reference meanPool", pooled, F.poolOut, tolerance: 1e-12)
  expectClose(
    "reference l2Normalize", Reference.l2Normalize(pooled, n: 2, c: 6, epsilon: 1e-12).out, F.l2Out,
    tolerance: 1e-12)

  let keep = try cpu.tensor(floats(F.attnKeep), shape: [2, 5])
  let out = try cpu.attention(
    q: cpu.tensor(floats(F.attnQ), shape: [2, 5, 6]), k: cpu.tensor(floats(F.attnK), shape: [2, 5, 6]),
    v: cpu.tensor(floats(F.attnV), shape: [2, 5, 6]), heads: 2, mask: .keyPadding(keep))
  expectClose("cpu attention", try cpu.copyOut(out).map(Double.init), F.attnOut, tolerance: 1e-5)
  let cpuPooled = try cpu.meanPool(out, keep: keep)
  expectClose("cpu meanPool", try cpu.copyOut(cpuPooled).map(Double.init), F.poolOut, tolerance: 1e-5)
  let normalized = try cpu.l2Normalize(cpuPooled)
  expectClose("cpu l2Normalize", try cpu.copyOut(normalized).map(Double.init), F.l2Out, tolerance: 1e-5)
}

@Test func lossesMatchNumpy() {
  let ce = Reference.crossEntropy(F.ceLogits, targets: F.ceTargets, n: 4, c: 5)
  expectClose("reference crossEntropy", [ce.loss], F.ceLoss, tolerance: 1e-12)
  expectClose(
    "reference bce", [Reference.bceWithLogits(F.bceLogits, F.bceTargets)], F.bceLoss, tolerance: 1e-12)
  expectClose(
    "reference huber", [Reference.huberLoss(F.huberPred, F.huberTarget, delta: 1)], F.huberLoss,
    tolerance: 1e-12)
}

@Test func embeddingGathersRows() throws {
  let table = try cpu.tensor((0..<12).map(Float.init), shape: [4, 3])
  let out = try cpu.embedding(ids: cpu.tensor(ids: [3, 0, 3], shape: [1, 3]), table: table)
  #expect(out.shape == [1, 3, 3])
  #expect(try cpu.copyOut(out) == [9, 10, 11, 0, 1, 2, 9, 10, 11])
  #expect(throws: TensorError.self) {
    _ = try cpu.embedding(ids: cpu.tensor(ids: [4], shape: [1]), table: table)
  }
}

/// The allocating helpers fold leading dimensions: linear on [B, T, In], add of a [T, C] table to [B, T, C].
@Test func forwardHelpersFoldLeadingDimensions() throws {
  let x = try cpu.tensor(floats(F.linearX), shape: [1, 3, 5])
  let out = try cpu.linear(
    x, weight: cpu.tensor(floats(F.linearW), shape: [4, 5]), bias: cpu.tensor(floats(F.linearB), shape: [4]))
  #expect(out.shape == [1, 3, 4])
  expectClose("cpu linear rank 3", try cpu.copyOut(out).map(Double.init), F.linearOut, tolerance: 1e-5)
  let table = try cpu.tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
  let batch = try cpu.tensor([Float](repeating: 10, count: 12), shape: [2, 3, 2])
  #expect(try cpu.copyOut(cpu.add(batch, table)) == [11, 12, 13, 14, 15, 16, 11, 12, 13, 14, 15, 16])
  #expect(throws: TensorError.self) { _ = try cpu.add(batch, cpu.tensor([1, 2, 3], shape: [3])) }
}
