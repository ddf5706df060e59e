// A mixture of databases: contexts come from each database in proportion to its weight, carry its index, and
// use its slice of the shared column and table id spaces (offsets: column_count + 2 and table count + 1 per
// database, in mixture order); a database of weight 0 never appears. Bad settings are refused with typed errors.
import Foundation
import Store
import Testing

@testable import Sampler

@Test func mixtureContextsUseTheirDatabasesIdRanges() async throws {
  let tiny = try await ProcessedFixtures.shared.database("tiny")
  let timeline = try await ProcessedFixtures.shared.database("timeline")
  let sampler = try Sampler(
    databases: [(tiny, 1), (timeline, 3)],
    settings: SamplerSettings(mode: .pretrain, batchSize: 64, samplesPerEpoch: 64, seed: 5))
  #expect(sampler.columnOffsets == [0, tiny.metadata.columnCount + 2])
  #expect(sampler.tableOffsets == [0, tiny.metadata.tables.count + 1])
  let batch = sampler.makeBatch()
  sampler.fill(batch, epoch: 0, index: 0, threads: 2)
  let f = BatchChecker.Fields(batch)
  let databases = [tiny, timeline]
  var seen = [0, 0]
  for b in 0..<f.b {
    let d = Int(f.database[b])
    guard d == 0 || d == 1 else {
      Issue.record("context \(b): database \(d)")
      continue
    }
    seen[d] += 1
    let columns = sampler.columnOffsets[d]..<(sampler.columnOffsets[d] + databases[d].metadata.columnCount)
    let tables = sampler.tableOffsets[d]..<(sampler.tableOffsets[d] + databases[d].metadata.tables.count)
    for i in 0..<Int(f.cellCount[b]) {
      #expect(
        columns.contains(Int(f.column[b * f.l + i])),
        "context \(b) cell \(i): column \(f.column[b * f.l + i])")
      #expect(
        tables.contains(Int(f.table[b * f.l + i])), "context \(b) cell \(i): table \(f.table[b * f.l + i])")
    }
  }
  // 64 draws with probabilities 1/4 and 3/4: both databases appear, timeline more often.
  #expect(seen[0] > 0 && seen[1] > seen[0], "\(seen)")
  let only = try Sampler(
    databases: [(tiny, 0), (timeline, 1)], settings: SamplerSettings(mode: .pretrain, batchSize: 16))
  let single = only.makeBatch()
  only.fill(single, epoch: 0, index: 0)
  #expect(single.array(.database, as: Int32.self) == Array(repeating: 1, count: 16))
}

@Test func badSettingsAreRefused() async throws {
  let tiny = try await ProcessedFixtures.shared.database("tiny")
  #expect(throws: SamplerError.self) {
    try Sampler(
      database: tiny, settings: SamplerSettings(mode: .task(name: "nope", split: .train, shuffle: false)))
  }
  #expect(throws: SamplerError.self) {
    try Sampler(database: tiny, settings: SamplerSettings(mode: .pretrain, contextLength: 1))
  }
  #expect(throws: SamplerError.self) {
    try Sampler(
      database: tiny, settings: SamplerSettings(mode: .task(name: "churn", split: .test, shuffle: false)))
  }
  #expect(throws: SamplerError.self) {
    try Sampler(
      databases: [(tiny, 1), (tiny, 1)],
      settings: SamplerSettings(mode: .task(name: "churn", split: .train, shuffle: false)))
  }
}
