// The optimizer verbs of `Backend` on a backend without its own (the default: host copies, updated, copied back)
// must give the CPU backend's results bit for bit (the CPU's are checked against numpy in TensorTests), and the
// Trainer must run over such a backend: any `Backend` trains.
import Model
import Tensor
import Testing
import Training

/// A backend that forwards memory and op verbs to the CPU but keeps the protocol's default optimizer verbs.
private struct HostRoundTripBackend: Backend {
  let cpu = CPUBackend(threads: 1)
  var name: String { "round-trip" }
  var apiVersion: Int { tensorBackendAPIVersion }
  func allocate(shape: [Int], dtype: DType) throws -> Tensor { try cpu.allocate(shape: shape, dtype: dtype) }
  func copyIn(_ values: [Float], to tensor: Tensor) throws { try cpu.copyIn(values, to: tensor) }
  func copyIn(_ values: [Int32], to tensor: Tensor) throws { try cpu.copyIn(values, to: tensor) }
  func copyOut(_ tensor: Tensor) throws -> [Float] { try cpu.copyOut(tensor) }
  func copy(_ source: Tensor, into destination: Tensor) throws { try cpu.copy(source, into: destination) }
  func zero(_ tensor: Tensor) throws { try cpu.zero(tensor) }
  func supports(_ op: Op) -> Bool { cpu.supports(op) }
  func run(_ call: OpCall) throws { try cpu.run(call) }
}

@Test func defaultOptimizerVerbsMatchTheCPUBackendBitForBit() throws {
  let cpu = CPUBackend(threads: 1)
  let other = HostRoundTripBackend()
  var random = SplitMix64(seed: 9)
  let values = (0..<37).map { _ in random.nextNormal() }
  let gradients = (0..<3).map { _ in (0..<37).map { _ in random.nextNormal() * 3 } }
  var results: [[Float]] = []
  var norms: [Float] = []
  for backend in [cpu, other] as [any Backend] {
    let (w, g) = (try backend.tensor(values, shape: [37]), try backend.zeros([37]))
    let (m, v) = (try backend.zeros([37]), try backend.zeros([37]))
    for (step, gradient) in gradients.enumerated() {
      try backend.copyIn(gradient, to: g)
      norms.append(try backend.clipGradients([g], maxNorm: 2))
      try backend.adamWUpdate(
        value: w, gradient: g, firstMoment: m, secondMoment: v, config: AdamWConfig(weightDecay: 0.1),
        learningRate: 1e-2, step: step + 1, decays: step != 1)
    }
    results.append(try backend.copyOut(w) + backend.copyOut(m) + backend.copyOut(v) + backend.copyOut(g))
  }
  #expect(results[0] == results[1])
  #expect(norms[0..<3] == norms[3..<6])
  #expect(norms.allSatisfy { $0 > 2 }, "clipping was exercised")
}

@Test func theTrainerRunsOnABackendWithoutItsOwnOptimizerVerbs() throws {
  let data = try SyntheticBatches()
  let model = ModelConfig(
    width: 16, blocks: 1, heads: 2, ffnWidth: 16, contextLength: 8,
    embeddingWidth: SyntheticBatches.embeddingWidth)
  let config = TrainingConfig(model: model, steps: 2, batchSize: 3, warmupSteps: 1, seed: 2)
  var finals: [[Float]] = []
  for backend in [CPUBackend(threads: 1), HostRoundTripBackend()] as [any Backend] {
    let trainer = try Trainer(config: config, backend: backend)
    for step in 0..<2 {
      _ = try trainer.train(
        on: try ModelInput(
          fields: data.batch(seed: UInt64(step), batchSize: 3, contextLength: 8), embeddings: data.embeddings,
          config: model, on: backend))
    }
    finals.append(try trainer.model.parameters.flatMap { try backend.copyOut($0.value) })
  }
  #expect(finals[0] == finals[1])
}
