// Hand-checked time rules on the timeline fixture (tools/make_sampler_fixtures.py): accounts 1 (opened Jan 10)
// and 2 (Jan 1); events 100 (account 1, Jan 5), 101 (account 1, Jan 12), 102 (account 2, Jan 2), 103 (account
// 2, Jan 25); task renew (entity, horizon 10 days): account 2 on Jan 1, 6, 20, 30 (labels 0, 1, 0, 1), account 1
// on Jan 30 (label 1), hiding the account's tier; validation from Jan 29. Node ids: accounts 0-1, events 2-5.
import DatabaseSpec
import Foundation
import Store
import Testing

@testable import Sampler

private func context(_ mode: SamplingMode, index: Int) async throws -> BatchChecker.Fields {
  let db = try await ProcessedFixtures.shared.database("timeline")
  let sampler = try Sampler(database: db, settings: SamplerSettings(mode: mode, batchSize: 1))
  let batch = sampler.makeBatch()
  sampler.fill(batch, epoch: 0, index: index)
  let task: String? = if case .task(let name, _, _) = mode { name } else { nil }
  let checker = BatchChecker(
    reference: try StoreReference(db), task: try task.map { try TaskReference(db, name: $0) })
  #expect(checker.issues(batch).isEmpty, "\(checker.issues(batch))")
  return BatchChecker.Fields(batch)
}

private func rows(_ f: BatchChecker.Fields) -> [Int64] { Array(f.rowId.prefix(Int(f.rowCount[0]))) }
private func tables(_ f: BatchChecker.Fields) -> [Int32] { Array(f.rowTable.prefix(Int(f.rowCount[0]))) }

@Test func aParentFromTheFutureIsNotVisited() async throws {
  // Event 100 (Jan 5) belongs to account 1, opened Jan 10: the context is the event alone.
  let f = try await context(.task(name: "event-amount", split: .train, shuffle: false), index: 0)
  #expect(rows(f) == [2])
  #expect(f.parents(0, 0) == [])
}

@Test func earlierExamplesOfACellTaskAreVisible() async throws {
  // Event 101 (Jan 12): account 1 (Jan 10) is its parent; the account's earlier event 100 (Jan 5) is a child.
  let f = try await context(.task(name: "event-amount", split: .train, shuffle: false), index: 1)
  #expect(rows(f) == [3, 0, 2])
  #expect(f.parents(0, 2) == [1])
}

@Test func entityTaskShowsOnlyLabelsKnownAtTheSeedTime() async throws {
  // Account 2 on Jan 30: labels of Jan 1 (known Jan 11), Jan 6 (Jan 16) and Jan 20 (Jan 30) are known; events
  // 102 (Jan 2) and 103 (Jan 25) are earlier. Task rows hold example indexes; the table of task rows is 2.
  let f = try await context(.task(name: "renew", split: .validation, shuffle: false), index: 0)
  #expect(Set(zip(tables(f), rows(f)).filter { $0.0 == 2 }.map(\.1)) == [3, 0, 1, 2])
  #expect(Set(zip(tables(f), rows(f)).filter { $0.0 == 1 }.map(\.1)) == [4, 5])
  #expect(f.rowCount[0] == 7)
  // The task hides the entity's tier: the account row shows opened_at only.
  #expect(f.row.prefix(Int(f.cellCount[0])).filter { $0 == 1 }.count == 1)
  #expect(f.type[2] == CellType.timestamp.rawValue && f.row[2] == 1 && f.row[3] != 1)
}

@Test func entityTaskHorizonHidesRecentLabels() async throws {
  // Account 2 on Jan 20: Jan 1 and Jan 6 are known (Jan 11, Jan 16), Jan 20 is the seed; event 103 (Jan 25) is
  // later. On Jan 6: the Jan 1 label is known only on Jan 11, so no earlier label is shown.
  let jan20 = try await context(.task(name: "renew", split: .train, shuffle: false), index: 2)
  #expect(Set(zip(tables(jan20), rows(jan20)).filter { $0.0 == 2 }.map(\.1)) == [2, 0, 1])
  #expect(Set(zip(tables(jan20), rows(jan20)).filter { $0.0 == 1 }.map(\.1)) == [4])
  let jan6 = try await context(.task(name: "renew", split: .train, shuffle: false), index: 1)
  #expect(zip(tables(jan6), rows(jan6)).filter { $0.0 == 2 }.map(\.1) == [1])
  #expect(rows(jan6).count == 3)
}
