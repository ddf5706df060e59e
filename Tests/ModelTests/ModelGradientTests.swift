// The whole model's hand-written backward against central finite differences of its loss (all three heads,
// all four relation attentions, two blocks), on a tiny config with weights drawn large enough that every
// gradient is well above f32 noise. Also: the relation masks against a direct reading of the definitions.
import Testing

@testable import Model
@testable import Tensor

@Test func wholeModelBackwardMatchesFiniteDifferences() throws {
  let cpu = CPUBackend(threads: 2)
  let data = try SyntheticBatches()
  let config = ModelConfig(
    width: 8, blocks: 2, heads: 2, ffnWidth: 12, contextLength: 8,
    embeddingWidth: SyntheticBatches.embeddingWidth,
    temperature: 0.5, huberDelta: 1)
  let model = try RelationalTransformer(config: config, seed: 3, on: cpu)
  var rng = SplitMix64(seed: 11)
  for p in model.parameters {
    let values = try cpu.copyOut(p.value).map {
      $0 == 1 ? 1 + rng.nextNormal() * 0.2 : rng.nextNormal() * 0.4
    }
    try cpu.copyIn(values, to: p.value)
  }
  let fields = data.batch(seed: 5, batchSize: 3, contextLength: 8)
  let input = try ModelInput(fields: fields, embeddings: data.embeddings, config: config, on: cpu)
  let arena = try Arena(byteCount: model.arenaBytes(for: input), on: cpu)
  // Recomputed attention probabilities give the same gradients as kept ones.
  _ = try model.lossAndGradients(input, arena: arena, backend: cpu, keepAttention: false)
  let recomputed = try model.parameters.map { try cpu.copyOut($0.gradient) }
  let losses = try model.lossAndGradients(input, arena: arena, backend: cpu, keepAttention: true)
  #expect(losses.regression != nil && losses.binary != nil && losses.contrastive != nil)
  for (p, r) in zip(model.parameters, recomputed) {
    #expect(try cpu.copyOut(p.gradient) == r, "\(p.name): recomputed attention changes the gradient")
  }
  var worst = 0.0
  var checked = 0
  for p in model.parameters {
    let analytic = try cpu.copyOut(p.gradient)
    for _ in 0..<min(4, p.value.count) {
      let i = Int.random(in: 0..<p.value.count, using: &rng)
      let original = try p.value.withUnsafeFloats { $0[i] }
      let h: Float = 1e-2
      try p.value.withUnsafeMutableFloats { $0[i] = original + h }
      let plus = Double(try model.loss(input, arena: arena, backend: cpu).total)
      try p.value.withUnsafeMutableFloats { $0[i] = original - h }
      let minus = Double(try model.loss(input, arena: arena, backend: cpu).total)
      try p.value.withUnsafeMutableFloats { $0[i] = original }
      let numeric = (plus - minus) / Double(2 * h)
      let error = abs(numeric - Double(analytic[i])) / max(abs(numeric), 0.05)
      worst = max(worst, error)
      checked += 1
      #expect(error < 3e-2, "d\(p.name)[\(i)]: analytic \(analytic[i]), numeric \(numeric)")
    }
  }
  print("model finite differences: \(checked) entries, worst relative error \(worst)")
}

@Test func relationMasksFollowTheDefinitions() throws {
  let data = try SyntheticBatches()
  let fields = data.batch(seed: 9, batchSize: 4, contextLength: 8)
  let bits = RelationMasks.bits(fields)
  let l = 8
  for b in 0..<4 {
    for i in 0..<l {
      for j in 0..<l {
        let (qi, kj) = (b * l + i, b * l + j)
        let valid = fields.type[qi] != 0 && fields.type[kj] != 0
        let (ri, rj) = (fields.row[qi], fields.row[kj])
        let parentOfI = fields.rowParents[b * l + Int(max(ri, 0))]
        let parentOfJ = fields.rowParents[b * l + Int(max(rj, 0))]
        let expected = [
          valid && fields.column[qi] == fields.column[kj],
          valid && (ri == rj || parentOfI == rj),
          valid && parentOfJ == ri && rj != ri,
          valid,
        ]
        for kind in RelationKind.allCases {
          let bit = bits[kind.rawValue][qi + j / 32] >> UInt32(j % 32) & 1 == 1
          #expect(bit == expected[kind.rawValue], "\(kind) mask at context \(b), query \(i), key \(j)")
        }
      }
    }
  }
}
