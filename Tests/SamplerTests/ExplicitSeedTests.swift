// Explicit seeds (SamplingMode.seeds) on the timeline fixture (see TimelineContextTests for its rows): a seed
// that repeats a task example builds that example's context, except the unknown label and the seed's numbering;
// a seed at a time between examples follows the same time rules, checked by hand.
import Foundation
import Testing

@testable import Sampler

private func batch(_ mode: SamplingMode, batchSize: Int = 1, index: Int = 0) async throws
  -> BatchChecker.Fields
{
  let db = try await ProcessedFixtures.shared.database("timeline")
  let sampler = try Sampler(database: db, settings: SamplerSettings(mode: mode, batchSize: batchSize))
  let batch = sampler.makeBatch()
  sampler.fill(batch, epoch: 0, index: index)
  return BatchChecker.Fields(batch)
}

/// Midnight UTC of January `day`, 2024, in µs.
private func jan(_ day: Int) -> Int64 { Int64(1_704_067_200 + (day - 1) * 86_400) * 1_000_000 }

/// The target cell (loss != 0) of context 0.
private func target(_ f: BatchChecker.Fields) -> Int? { f.loss.prefix(f.l).firstIndex { $0 != 0 } }

@Test func anExplicitSeedAtAnExampleBuildsThatExamplesContext() async throws {
  // Validation example 0 of renew: account 2 (row 1) on Jan 30.
  let example = try await batch(.task(name: "renew", split: .validation, shuffle: false))
  let seeded = try await batch(.seeds(task: "renew", seeds: [ExplicitSeed(row: 1, time: jan(30))]))
  #expect(example.seedTime == [jan(30)] && seeded.seedTime == [jan(30)])
  #expect(seeded.seedId == [0])
  #expect(seeded.type == example.type && seeded.column == example.column && seeded.row == example.row)
  #expect(seeded.number == example.number && seeded.timestamp == example.timestamp)
  #expect(seeded.vocabulary == example.vocabulary && seeded.rowParents == example.rowParents)
  #expect(seeded.masked == example.masked && seeded.loss == example.loss)
  // Slot 0 is the seed's own task row: an example index there, the seed's number (5 examples + 0) here.
  #expect(Array(seeded.rowId.dropFirst()) == Array(example.rowId.dropFirst()) && seeded.rowId[0] == 5)
  let t = try #require(target(seeded))
  #expect(example.labelNumber[t] == 1 && seeded.labelNumber[t].isNaN)
}

@Test func anExplicitSeedBetweenExamplesSeesWhatIsKnownAtItsTime() async throws {
  // Account 2 on Jan 25: the labels of Jan 1 and Jan 6 are known (Jan 11, Jan 16), Jan 20's only on Jan 30;
  // event 102 (Jan 2) is earlier, event 103 (Jan 25) is not strictly earlier.
  let f = try await batch(.seeds(task: "renew", seeds: [ExplicitSeed(row: 1, time: jan(25))]))
  let slots = Int(f.rowCount[0])
  let rows = Array(zip(f.rowTable.prefix(slots), f.rowId.prefix(slots)))
  #expect(Set(rows.filter { $0.0 == 2 }.map(\.1)) == [5, 0, 1])
  #expect(rows.filter { $0.0 == 1 }.map(\.1) == [4])
  #expect(rows.filter { $0.0 == 0 }.map(\.1) == [1])
}

@Test func explicitSeedsKeepTheirOrderAndNumbering() async throws {
  let seeds = [ExplicitSeed(row: 0, time: jan(31)), ExplicitSeed(row: 1, time: jan(3))]
  let f = try await batch(.seeds(task: "renew", seeds: seeds), batchSize: 4)
  #expect(f.seedId == [0, 1, 0, 0] && f.database == [0, 0, -1, -1])
  #expect(f.seedTime.prefix(2) == [jan(31), jan(3)])
}

@Test func anExplicitCellSeedIsItsRowAsOfItsOwnTime() async throws {
  // event-amount example 1 is event 101 (row 1 of events, Jan 12).
  let example = try await batch(.task(name: "event-amount", split: .train, shuffle: false), index: 1)
  let seeded = try await batch(.seeds(task: "event-amount", seeds: [ExplicitSeed(row: 1)]))
  #expect(seeded.seedTime == example.seedTime && seeded.rowId == example.rowId)
  #expect(seeded.type == example.type && seeded.number == example.number && seeded.loss == example.loss)
  let t = try #require(target(seeded))
  #expect(!example.labelNumber[t].isNaN && seeded.labelNumber[t].isNaN)
}

@Test func explicitSeedsThatCannotBeSampledAreRefusedByPosition() async throws {
  let db = try await ProcessedFixtures.shared.database("timeline")
  func refusal(_ task: String, _ seeds: [ExplicitSeed]) -> String? {
    do {
      _ = try Sampler(database: db, settings: SamplerSettings(mode: .seeds(task: task, seeds: seeds)))
      return nil
    } catch { return "\(error)" }
  }
  #expect(
    refusal("renew", [ExplicitSeed(row: 0, time: jan(2)), ExplicitSeed(row: 2, time: jan(2))])?
      .contains("seed 1: row 2 outside table accounts's 2 rows") == true)
  #expect(refusal("renew", [ExplicitSeed(row: 0)])?.contains("seed 0: task renew predicts at a time") == true)
  #expect(refusal("event-amount", [ExplicitSeed(row: 0, time: jan(2))])?.contains("its own time") == true)
  #expect(refusal("renew", [])?.contains("no explicit seeds") == true)
}
