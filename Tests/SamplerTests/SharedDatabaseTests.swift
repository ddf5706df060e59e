// Property tests on the shared databases (preprocessed once per process with the hashing embedder): every batch
// of every task and of pretraining passes BatchChecker (no future rows, no hidden or target value, no unknown
// label, relations equal to the graph, cells equal to the store, fixed shapes and padding).
import DatabaseSpec
import Foundation
import Store
import Testing

@testable import Sampler

private let databases = ["f1", "nycflights13", "history-meta-stackexchange"]

private func checkBatches(
  _ db: ProcessedDatabase, reference: StoreReference, mode: SamplingMode, task: String?, batches: [(Int, Int)]
) throws {
  let sampler = try Sampler(database: db, settings: SamplerSettings(mode: mode, batchSize: 16, seed: 7))
  let checker = BatchChecker(reference: reference, task: try task.map { try TaskReference(db, name: $0) })
  let batch = sampler.makeBatch()
  for (epoch, index) in batches where index < sampler.batchesPerEpoch {
    sampler.fill(batch, epoch: epoch, index: index, threads: 2)
    let issues = checker.issues(batch)
    #expect(
      issues.isEmpty, "\(db.metadata.name) \(mode) batch \(index) of epoch \(epoch): \(issues.prefix(5))")
  }
}

@Test(arguments: databases)
func everyTaskBatchFollowsTheRules(name: String) async throws {
  let db = try await ProcessedFixtures.shared.database(name)
  let reference = try StoreReference(db)
  for task in db.metadata.tasks {
    for split in Split.allCases where (task.splitCounts[split.rawValue] ?? 0) > 0 {
      try checkBatches(
        db, reference: reference, mode: .task(name: task.name, split: split, shuffle: split == .train),
        task: task.name, batches: [(0, 0), (1, 3), (2, 11)])
    }
  }
}

@Test(arguments: databases)
func everyPretrainingBatchFollowsTheRules(name: String) async throws {
  let db = try await ProcessedFixtures.shared.database(name)
  try checkBatches(
    db, reference: try StoreReference(db), mode: .pretrain, task: nil,
    batches: [(0, 0), (0, 1), (3, 5), (4, 9)])
}

@Test func entityTaskContextsShowEarlierLabels() async throws {
  // driver-dnf has an example per driver every month: test-split contexts must carry earlier, known labels.
  let db = try await ProcessedFixtures.shared.database("f1")
  let sampler = try Sampler(
    database: db, settings: SamplerSettings(mode: .task(name: "driver-dnf", split: .test, shuffle: false)))
  let batch = sampler.makeBatch()
  sampler.fill(batch, epoch: 0, index: 0)
  let f = BatchChecker.Fields(batch)
  let taskTable = Int32(db.metadata.tables.count)
  let earlier = (0..<f.b).map { b in
    (1..<Int(f.rowCount[b])).filter { f.rowTable[b * f.l + $0] == taskTable }.count
  }
  #expect(earlier.reduce(0, +) > 0, "\(earlier)")
  // And contexts fill up: most hold more than half of L cells.
  #expect(f.cellCount.filter { Int($0) > f.l / 2 }.count > f.b / 2, "\(f.cellCount)")
}

@Test func shortContextsAndSmallChildCapsFollowTheRules() async throws {
  // L = 48 and 2 children per row: gathering stops early on almost every context (the "full" path).
  let db = try await ProcessedFixtures.shared.database("f1")
  let reference = try StoreReference(db)
  for (mode, task) in [
    (SamplingMode.pretrain, nil), (.task(name: "driver-top3", split: .train, shuffle: true), "driver-top3"),
  ] {
    let sampler = try Sampler(
      database: db,
      settings: SamplerSettings(mode: mode, contextLength: 48, batchSize: 32, childCap: 2, seed: 1))
    let checker = BatchChecker(reference: reference, task: try task.map { try TaskReference(db, name: $0) })
    let batch = sampler.makeBatch()
    for index in [0, 7] {
      sampler.fill(batch, epoch: 0, index: index, threads: 2)
      #expect(checker.issues(batch).isEmpty, "\(mode): \(checker.issues(batch).prefix(5))")
      #expect(batch.array(.cellCount, as: Int32.self).allSatisfy { $0 <= 48 })
    }
  }
}
