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

/// Context 0 as (table, row id) per row slot and, per cell, its slot's (table, row id) with its fields, sorted:
/// what the context holds, whatever order the random child choices put it in.
private func contents(_ f: BatchChecker.Fields, seedRowId: Int64? = nil) -> (rows: [String], cells: [String])
{
  let slots = Int(f.rowCount[0])
  func rowName(_ slot: Int) -> String {
    slot == 0 && seedRowId != nil ? "seed" : "\(f.rowTable[slot])/\(f.rowId[slot])"
  }
  let rows = (0..<slots).map { slot in
    rowName(slot) + " parents "
      + f.rowParents[(slot * f.p)..<((slot + 1) * f.p)].map { $0 < 0 ? "-" : rowName(Int($0)) }.sorted()
      .joined(separator: ",")
  }
  let w = BatchLayout.timestampWidth
  let cells = (0..<Int(f.cellCount[0])).map { n in
    [
      rowName(Int(f.row[n])), "\(f.type[n])", "\(f.column[n])", "\(f.table[n])", "\(f.number[n])",
      "\(Array(f.timestamp[(n * w)..<((n + 1) * w)]))", "\(f.boolean[n])", "\(f.vocabulary[n])",
      "\(f.masked[n])",
      "\(f.loss[n])",
    ].joined(separator: " ")
  }
  return (rows.sorted(), cells.sorted())
}

@Test func anExplicitSeedAtAnExampleBuildsThatExamplesContext() async throws {
  // Validation example 0 of renew: account 2 (row 1) on Jan 30. Its own task row is example 3 there and the
  // seed (5 examples + position 0) here: both are named "seed".
  let example = try await batch(.task(name: "renew", split: .validation, shuffle: false))
  let seeded = try await batch(.seeds(task: "renew", seeds: [ExplicitSeed(row: 1, time: jan(30))]))
  #expect(example.seedTime == [jan(30)] && seeded.seedTime == [jan(30)])
  #expect(seeded.seedId == [0] && example.rowId[0] == 3 && seeded.rowId[0] == 5)
  let (exampleRows, exampleCells) = contents(example, seedRowId: 3)
  let (seededRows, seededCells) = contents(seeded, seedRowId: 5)
  #expect(seededRows == exampleRows && seededRows.count == 7)
  #expect(seededCells == exampleCells)
  let t = try #require(target(seeded))
  let u = try #require(target(example))
  #expect(example.labelNumber[u] == 1 && seeded.labelNumber[t].isNaN)
}

@Test func anExplicitSeedsContextDoesNotDependOnItsPosition() async throws {
  let seed = ExplicitSeed(row: 1, time: jan(30))
  let alone = try await batch(.seeds(task: "renew", seeds: [seed]))
  let third = try await batch(
    .seeds(
      task: "renew", seeds: [ExplicitSeed(row: 0, time: jan(31)), ExplicitSeed(row: 1, time: jan(3)), seed]),
    batchSize: 3)
  let l = alone.l
  #expect(
    Array(third.type[(2 * l)..<(3 * l)]) == alone.type
      && Array(third.column[(2 * l)..<(3 * l)]) == alone.column)
  #expect(Array(third.rowId[(2 * l)..<(3 * l)]) == [7] + alone.rowId.dropFirst())
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
  #expect(seeded.seedTime == example.seedTime && seeded.seedTime == [jan(12)])
  #expect(
    contents(seeded).rows == contents(example).rows && contents(seeded).cells == contents(example).cells)
  let t = try #require(target(seeded))
  let u = try #require(target(example))
  #expect(!example.labelNumber[u].isNaN && seeded.labelNumber[t].isNaN)
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
  #expect(
    refusal("event-amount", [ExplicitSeed(row: 0, time: jan(2))])?
      .contains(
        "seed 0: task event-amount predicts a row as of its own time; 2024-01-02 differs (its own time is 2024-01-05)"
      ) == true)
  #expect(refusal("event-amount", [ExplicitSeed(row: 0, time: jan(5))]) == nil)
  #expect(refusal("renew", [])?.contains("no explicit seeds") == true)
}
