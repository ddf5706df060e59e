// Data parallel on the CPU: two in-process replicas, each training on half of every batch, must make the same
// updates as one replica on the whole batch (the averaged gradient of two half-batch means is the whole-batch mean
// when both halves carry the same number of cells of each loss kind, as built here), and the replicas' weights must
// stay bit-identical. Also the shard arithmetic: the ranks' slices tile every global batch exactly once.
import Foundation
import Model
import Tensor
import Testing
import Training

private let model = ModelConfig(
  width: 16, blocks: 1, heads: 2, ffnWidth: 32, contextLength: 8,
  embeddingWidth: SyntheticBatches.embeddingWidth)
private let config = TrainingConfig(
  model: model, steps: 4, batchSize: 6, peakLearningRate: 1e-3, warmupSteps: 1, clipNorm: 1, seed: 5)
/// The categories of `SyntheticBatches`: a fixed candidate set, so a half batch ranks among the same classes.
private let pool: [Int32] = [0, 1, 2, 3]

/// Contexts `range` of `fields` (SyntheticBatches masks cell kinds by context index mod 3, so halves of 6 contexts
/// each hold one masked number, boolean and category).
private func slice(_ fields: CellFields, _ range: Range<Int>) -> CellFields {
  let l = fields.contextLength
  var out = CellFields(batchSize: range.count, contextLength: l, maxParents: fields.maxParents)
  func cut<T>(_ values: [T], _ width: Int) -> [T] {
    Array(values[(range.lowerBound * l * width)..<(range.upperBound * l * width)])
  }
  out.number = cut(fields.number, 1)
  out.timestamp = cut(fields.timestamp, CellFields.timestampWidth)
  out.boolean = cut(fields.boolean, 1)
  out.vocabulary = cut(fields.vocabulary, 1)
  out.column = cut(fields.column, 1)
  out.row = cut(fields.row, 1)
  out.type = cut(fields.type, 1)
  out.masked = cut(fields.masked, 1)
  out.loss = cut(fields.loss, 1)
  out.labelNumber = cut(fields.labelNumber, 1)
  out.labelVocabulary = cut(fields.labelVocabulary, 1)
  out.rowParents = cut(fields.rowParents, fields.maxParents)
  return out
}

private func weights(_ trainer: Trainer) throws -> [Float] {
  try trainer.model.parameters.flatMap { try trainer.backend.copyOut($0.value) }
}

/// Runs `body(rank)` on one thread per rank and rethrows the first failure (aborting the group so no rank waits).
private func onReplicas(_ group: InProcessGroup, _ body: @escaping @Sendable (Int) throws -> Void) throws {
  let failures = Failures()
  DispatchQueue.concurrentPerform(iterations: group.worldSize) { rank in
    do { try body(rank) } catch {
      failures.record(error)
      group.abort(reason: "rank \(rank): \(error)")
    }
  }
  if let first = failures.first { throw first }
}

private final class Failures: @unchecked Sendable {
  // @unchecked: guarded by `lock`.
  private let lock = NSLock()
  private var errors: [any Error] = []
  func record(_ error: any Error) { lock.withLock { errors.append(error) } }
  var first: (any Error)? { lock.withLock { errors.first } }
}

private final class Box<T>: @unchecked Sendable {
  // @unchecked: each rank writes only its own index before the threads join.
  var values: [T?]
  init(count: Int) { values = Array(repeating: nil, count: count) }
}

@Test func twoReplicasOnHalfBatchesMakeTheUpdatesOfOneReplicaOnTheWholeBatch() throws {
  let data = try SyntheticBatches()
  let batches = (0..<config.steps).map { data.batch(seed: UInt64(300 + $0), batchSize: 6, contextLength: 8) }
  let cpu = CPUBackend(threads: 1)
  let single = try Trainer(config: config, backend: cpu)
  let singleNorms = try batches.map { fields in
    try single.train(
      on: try ModelInput(
        fields: fields, embeddings: data.embeddings, config: model, on: cpu, candidatePool: pool)
    ).gradientNorm
  }
  let reference = try weights(single)

  let group = try InProcessGroup(worldSize: 2)
  let communicators = group.communicators()
  let results = Box<[Float]>(count: 2)
  let norms = Box<[Float]>(count: 2)
  try onReplicas(group) { rank in
    let backend = CPUBackend(threads: 1)
    // Different seeds on purpose: the broadcast must make rank 1 start from rank 0's weights.
    var replicaConfig = config
    replicaConfig.seed = config.seed + UInt64(rank) * 1000
    let trainer = try Trainer(config: replicaConfig, backend: backend, communicator: communicators[rank])
    norms.values[rank] = try batches.map { fields in
      let half = slice(fields, (rank * 3)..<(rank * 3 + 3))
      return try trainer.train(
        on: try ModelInput(
          fields: half, embeddings: data.embeddings, config: model, on: backend, candidatePool: pool)
      ).gradientNorm
    }
    results.values[rank] = try weights(trainer)
  }
  let (replica0, replica1) = (results.values[0] ?? [], results.values[1] ?? [])
  #expect(replica0 == replica1, "replicas' weights differ")
  // The averaged gradient's norm (AdamW is nearly scale-invariant, so the weights alone would not catch a sum
  // where a mean belongs).
  for (step, norm) in singleNorms.enumerated() {
    let replicaNorm = norms.values[0]?[step] ?? .nan
    #expect(abs(replicaNorm - norm) <= 1e-5 * norm, "step \(step): gradient norm \(replicaNorm) vs \(norm)")
  }
  // Tolerance: the two paths sum the same terms in another order (half-batch means averaged vs one mean), so the
  // gradients agree to float rounding; AdamW's first steps divide by sqrt(v) and amplify that only for gradients
  // near zero. Relative L2 error of the weights' change over 4 steps: measured 2.8e-6, limit 1e-4.
  let initial = try weights(try Trainer(config: config, backend: cpu))
  var change = 0.0
  var difference = 0.0
  for i in reference.indices {
    change += Double(reference[i] - initial[i]) * Double(reference[i] - initial[i])
    difference += Double(replica0[i] - reference[i]) * Double(replica0[i] - reference[i])
  }
  let relative = (difference / max(change, 1e-30)).squareRoot()
  print("data parallel vs single replica: relative error of the weights' change \(relative)")
  #expect(change > 0)
  #expect(relative < 1e-4, "relative error \(relative)")
}

@Test func shardsTileEveryGlobalBatchOnce() throws {
  let samples = 23
  for worldSize in [1, 2, 4, 8] {
    let globalBatch = 8
    let shards = try (0..<worldSize).map {
      try BatchShard(globalBatchSize: globalBatch, rank: $0, worldSize: worldSize)
    }
    for step in 0..<7 {
      let epoch = step / 3
      var contexts: [Int] = []
      for shard in shards {
        let position = shard.samplerPosition(step: step, samplesPerEpoch: samples)
        #expect(position.epoch == epoch)
        let local = shard.localBatchSize
        contexts += (position.index * local)..<(position.index * local + local)
      }
      #expect(contexts == Array(((step % 3) * globalBatch)..<((step % 3) * globalBatch + globalBatch)))
    }
  }
  #expect(throws: (any Error).self) { try BatchShard(globalBatchSize: 6, rank: 0, worldSize: 4) }
}

@Test func aFailedReplicaMakesTheOthersThrowInsteadOfWaiting() throws {
  let group = try InProcessGroup(worldSize: 2)
  let communicators = group.communicators()
  let cpu = CPUBackend(threads: 1)
  let tensor = try cpu.tensor([1, 2], shape: [2])
  group.abort(reason: "rank 1 failed")
  #expect(throws: (any Error).self) { try communicators[0].allReduceSum(tensor, on: cpu) }
}

@Test func theTrainingLoopRunsTwoRanksOnTheTinyDatabase() async throws {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("rt-dp-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: root) }
  let database = try await processedTiny(in: root)
  let model = ModelConfig(width: 16, blocks: 1, heads: 2, ffnWidth: 16, contextLength: 32, embeddingWidth: 8)
  let config = TrainingConfig(
    model: model, steps: 3, batchSize: 4, warmupSteps: 1, seed: 3, checkpointEvery: 2)
  let group = try InProcessGroup(worldSize: 2)
  let communicators = group.communicators()
  let steps = Box<[Int]>(count: 2)
  try onReplicas(group) { rank in
    let plan = TrainingPlan(
      databases: [database], task: nil, config: config, runDirectory: root.appendingPathComponent("run"),
      resume: false)
    var seen: [Int] = []
    try TrainingLoop.run(plan, backend: CPUBackend(threads: 1), communicator: communicators[rank]) {
      report, _ in
      seen.append(report.step)
    }
    steps.values[rank] = seen
  }
  #expect(steps.values[0] == [1, 2, 3], "rank 0 reports every step")
  #expect(steps.values[1] == [], "only rank 0 reports")
  let metrics = try String(contentsOf: root.appendingPathComponent("run/metrics.jsonl"), encoding: .utf8)
  #expect(metrics.split(separator: "\n").count == 3, "one metrics line per step, written once")
  #expect(
    try Checkpoint.load(
      into: try RelationalTransformer(config: model, seed: 0, on: CPUBackend(threads: 1)),
      from: root.appendingPathComponent("run/checkpoint"), backend: CPUBackend(threads: 1)) == 3)
}
