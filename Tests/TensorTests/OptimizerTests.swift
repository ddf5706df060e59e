// AdamW, gradient clipping and the learning-rate schedule against numpy (tools/make_tensor_fixtures.py),
// and a small end-to-end check that the ops and the optimizer compose into learning.
import TestSupport
import Testing

@testable import Tensor

@Test func adamWMatchesNumpy() throws {
  let cpu = CPUBackend(threads: 2)
  var rng = SplitMix64(seed: 1)
  let parameter = try Parameter(name: "w", shape: [6], initializer: .zeros, decays: true, on: cpu, rng: &rng)
  try cpu.copyIn(F.adamW0.map { Float($0) }, to: parameter.value)
  var adam = try AdamW(
    parameters: [parameter], config: AdamWConfig(beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1),
    on: cpu)
  for step in 0..<3 {
    try cpu.copyIn(F.adamGrads[(step * 6)..<(step * 6 + 6)].map { Float($0) }, to: parameter.gradient)
    try adam.update([parameter], learningRate: 0.01, pool: cpu.pool)
  }
  let error = relativeError(try cpu.copyOut(parameter.value), F.adamW3)
  #expect(error < 1e-5, "AdamW after 3 steps: relative error \(error) against numpy")
}

@Test func clippingMatchesNumpy() throws {
  let cpu = CPUBackend(threads: 1)
  var rng = SplitMix64(seed: 1)
  let a = try Parameter(name: "a", shape: [4], initializer: .zeros, decays: true, on: cpu, rng: &rng)
  let b = try Parameter(name: "b", shape: [3], initializer: .zeros, decays: false, on: cpu, rng: &rng)
  try cpu.copyIn(F.clipG1.map { Float($0) }, to: a.gradient)
  try cpu.copyIn(F.clipG2.map { Float($0) }, to: b.gradient)
  let norm = try GradientClipping.clip([a, b], maxNorm: 0.5, pool: cpu.pool)
  #expect(abs(Double(norm) - F.clipNorm[0]) < 1e-5)
  let clipped = try cpu.copyOut(a.gradient) + cpu.copyOut(b.gradient)
  #expect(relativeError(clipped, F.clipped) < 1e-6)
}

@Test func scheduleMatchesNumpy() {
  let schedule = LearningRateSchedule(peak: 1e-3, minimum: 1e-5, warmupSteps: 10, totalSteps: 100)
  let rates = [0, 4, 9, 10, 55, 99, 150].map { schedule.rate(at: $0) }
  #expect(relativeError(rates, F.scheduleRates) < 1e-6, "rates \(rates)")
}

/// A two-layer MLP (linear, GELU, linear, cross-entropy) learns a fixed random labelling of 32 points:
/// the ops' forward/backward and AdamW compose into a falling loss.
@Test func mlpLossFalls() throws {
  let cpu = CPUBackend(threads: 2)
  let seed = freshSeed()
  var rng = SplitMix64(seed: seed)
  let (n, inDim, hidden, classes) = (32, 8, 32, 4)
  let x = try cpu.tensor((0..<(n * inDim)).map { _ in rng.nextNormal() }, shape: [n, inDim])
  let labels = try cpu.tensor(ids: (0..<n).map { _ in Int32.random(in: 0..<4, using: &rng) }, shape: [n])
  let w1 = try Parameter(
    name: "w1", shape: [hidden, inDim], initializer: .normal(std: 0.3), decays: true, on: cpu, rng: &rng)
  let b1 = try Parameter(name: "b1", shape: [hidden], initializer: .zeros, decays: false, on: cpu, rng: &rng)
  let w2 = try Parameter(
    name: "w2", shape: [classes, hidden], initializer: .normal(std: 0.3), decays: true, on: cpu, rng: &rng)
  let parameters = [w1, b1, w2]
  var adam = try AdamW(parameters: parameters, config: AdamWConfig(weightDecay: 0), on: cpu)
  let arena = try Arena(byteCount: 1 << 16, on: cpu)
  var losses: [Float] = []
  for _ in 0..<60 {
    arena.reset()
    let (h, a, logits) = (
      try arena.tensor([n, hidden]), try arena.tensor([n, hidden]), try arena.tensor([n, classes])
    )
    let (loss, probs) = (try arena.tensor([1]), try arena.tensor([n, classes]))
    try cpu.run(.linearForward(x: x, weight: w1.value, bias: b1.value, out: h))
    try cpu.run(.activationForward(.geluErf, x: h, out: a))
    try cpu.run(.linearForward(x: a, weight: w2.value, bias: nil, out: logits))
    try cpu.run(.crossEntropyForward(logits: logits, targets: labels, loss: loss, probs: probs))
    losses.append(try cpu.copyOut(loss)[0])
    try parameters.zeroGradients(on: cpu)
    let (dlogits, da, dh) = (
      try arena.tensor([n, classes]), try arena.tensor([n, hidden]), try arena.tensor([n, hidden])
    )
    for t in [dlogits, da, dh] { try cpu.zero(t) }
    try cpu.run(.crossEntropyBackward(probs: probs, targets: labels, dloss: 1, dlogits: dlogits))
    try cpu.run(
      .linearBackward(dout: dlogits, x: a, weight: w2.value, dx: da, dweight: w2.gradient, dbias: nil))
    try cpu.run(.activationBackward(.geluErf, dout: da, x: h, dx: dh))
    try cpu.run(
      .linearBackward(dout: dh, x: x, weight: w1.value, dx: nil, dweight: w1.gradient, dbias: b1.gradient))
    try GradientClipping.clip(parameters, maxNorm: 5, pool: cpu.pool)
    try adam.update(parameters, learningRate: 0.02, pool: cpu.pool)
  }
  let first = losses[0]
  let last = losses[losses.count - 1]
  #expect(last < 0.3 * first, "loss \(first) -> \(last), seed \(seed)")
}
