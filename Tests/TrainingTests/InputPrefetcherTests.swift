// The prefetched inputs are the inputs: for consecutive steps (prefetched) and after a jump (built in line), the
// prefetcher's ModelInput equals one built directly from the sampler for that step, feature for feature.
import Foundation
import Model
import Store
import Tensor
import Testing

@testable import Training

@Test func prefetchedInputsEqualInputsBuiltInLine() async throws {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("rt-prefetch-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: root) }
  let database = try ProcessedDatabase(directory: try await processedTiny(in: root))
  let model = ModelConfig(width: 16, blocks: 1, heads: 2, ffnWidth: 16, contextLength: 32, embeddingWidth: 8)
  let config = TrainingConfig(model: model, steps: 8, batchSize: 2, warmupSteps: 1, seed: 4)
  let plan = TrainingPlan(databases: [], task: nil, config: config, runDirectory: root, resume: false)
  let sampler = try TrainingLoop.makeSampler(plan, databases: [database], batchSize: 2)
  let source = BatchSource(
    sampler: sampler, shard: try BatchShard(globalBatchSize: 2, rank: 0, worldSize: 1),
    embeddings: try StoreEmbeddings(databases: [database], columnOffsets: sampler.columnOffsets),
    candidatePool: nil)
  let cpu = CPUBackend(threads: 1)
  let prefetcher = InputPrefetcher(source: source, config: config, backend: cpu)
  let direct = sampler.makeBatch()
  var seen: [[Float]] = []
  for step in [0, 1, 2, 5, 6, 7] {
    let fetched = try prefetcher.input(step: step, end: config.steps)
    let expected = try source.input(step: step, into: direct, config: config, on: cpu)
    #expect(try cpu.copyOut(fetched.features) == cpu.copyOut(expected.features), "step \(step)")
    #expect(fetched.targets.regressionTargets == expected.targets.regressionTargets, "step \(step)")
    #expect(fetched.targets.candidateIds == expected.targets.candidateIds, "step \(step)")
    seen.append(try cpu.copyOut(fetched.features))
  }
  #expect(Set(seen.map { $0.map(\.bitPattern) }).count > 3, "the steps' inputs differ (the check can fail)")
}
