// Hand-checked contexts on the tiny fixture database (Tests/PreprocessTests/Fixtures/tiny): customers (static),
// orders (time placed_at) -> customers, items (static) -> orders; tasks order-amount (cell, target amount,
// hide status) and churn (entity on customers, horizon 30 days). Expected rows and cells are worked out by
// hand from the Parquet files (see each test).
import DatabaseSpec
import Foundation
import Store
import Testing

@testable import Sampler

private func tinyBatch(_ mode: SamplingMode, index: Int, batchSize: Int = 1) async throws -> (Batch, Sampler)
{
  let db = try await ProcessedFixtures.shared.database("tiny")
  let sampler = try Sampler(database: db, settings: SamplerSettings(mode: mode, batchSize: batchSize))
  let batch = sampler.makeBatch()
  sampler.fill(batch, epoch: 0, index: index)
  return (batch, sampler)
}

private func columnId(_ db: ProcessedDatabase, _ table: String, _ column: String) -> Int32 {
  Int32(db.table(named: table)?.table.columns.first { $0.name == column }?.globalId ?? -99)
}

@Test func cellTaskSeedWithParentAndChild() async throws {
  // Train example 1 is orders row 2 (id 12, customer 2, amount 7.0, 2022-02-01, status open).
  let (batch, sampler) = try await tinyBatch(
    .task(name: "order-amount", split: .train, shuffle: false), index: 1)
  let db = sampler.views[0].database
  let f = BatchChecker.Fields(batch)
  // Rows: the order (slot 0), its customer Grace (static parent), then its item (sku a, qty 3, static child).
  #expect(f.rowCount[0] == 3)
  #expect(f.rowTable.prefix(3) == [1, 0, 2])
  #expect(f.rowId.prefix(3) == [3 + 2, 1, 7 + 2])
  #expect(f.parents(0, 0) == [1])
  #expect(f.parents(0, 1) == [])
  #expect(f.parents(0, 2) == [0])
  // Cells: amount (masked; label (7 - 9.75) / 2.75 = -1) and placed_at; status is hidden. Grace: name, signup,
  // vip. The item: sku, qty.
  #expect(f.cellCount[0] == 7)
  let amount = columnId(db, "orders", "amount")
  #expect(
    f.column.prefix(7) == [
      amount, columnId(db, "orders", "placed_at"), columnId(db, "customers", "name"),
      columnId(db, "customers", "signup"), columnId(db, "customers", "vip"), columnId(db, "items", "sku"),
      columnId(db, "items", "qty"),
    ])
  #expect(f.masked.prefix(7) == [1, 0, 0, 0, 0, 0, 0])
  #expect(f.labelNumber[0] == -1 && f.number[0] == 0 && f.loss[0] == CellType.numerical.rawValue)
  #expect(f.boolean[4] == 0)  // Grace is not a VIP
  #expect(try db.vocabularyValue(Int(f.vocabulary[5])) == "a")
  #expect(f.seedTime[0] == ISO8601Micros.parse("2022-02-01"))
}

@Test func cellTaskHidesTheFutureAndLaterExamples() async throws {
  // Train example 0 is orders row 0 (2022-01-01, customer Ada). Ada's other order (2022-03-01) is later and
  // must not appear; the order's two items do, in a sampled order.
  let (batch, _) = try await tinyBatch(.task(name: "order-amount", split: .train, shuffle: false), index: 0)
  let f = BatchChecker.Fields(batch)
  #expect(f.rowCount[0] == 4)
  #expect(f.rowId.prefix(2) == [3, 0])
  #expect(Set(f.rowId[2..<4]) == [7, 8])
  #expect(f.cellCount[0] == 2 + 3 + 2 + 2)
  #expect(f.labelNumber[0] == 1)
}

@Test func entityTaskSeedIsATaskRowUnderItsEntity() async throws {
  // churn train example 0: customer 1 (Ada) at 2022-01-15, label false. Slot 0: the task row (time, masked
  // label); slot 1: Ada; slot 2: her order of 2022-01-01 (the one of 2022-03-01 is later); slots 3-4: its items.
  let (batch, sampler) = try await tinyBatch(.task(name: "churn", split: .train, shuffle: false), index: 0)
  let db = sampler.views[0].database
  let f = BatchChecker.Fields(batch)
  #expect(f.rowCount[0] == 5)
  #expect(f.rowTable.prefix(5) == [3, 0, 1, 2, 2])
  #expect(f.rowId.prefix(3) == [0, 0, 3])
  #expect(f.parents(0, 0) == [1])
  #expect(f.parents(0, 2) == [1])
  #expect(f.cellCount[0] == 2 + 3 + 3 + 2 + 2)
  let columns = Int32(db.metadata.columnCount)
  #expect(f.column.prefix(2) == [columns, columns + 1])
  #expect(f.type.prefix(2) == [CellType.timestamp.rawValue, CellType.boolean.rawValue])
  #expect(f.masked.prefix(2) == [0, 1])
  #expect(f.labelNumber[1] == 0 && f.loss[1] == CellType.boolean.rawValue)
  let z = Float(
    (Double(ISO8601Micros.parse("2022-01-15") ?? 0) - db.metadata.time.meanMicros)
      / db.metadata.time.scaleMicros)
  #expect(abs(f.timestamp[0] - z) < 1e-6)
}

@Test func everyTinyContextPassesTheChecker() async throws {
  let db = try await ProcessedFixtures.shared.database("tiny")
  let reference = try StoreReference(db)
  let modes: [(SamplingMode, String?)] = [
    (.task(name: "order-amount", split: .train, shuffle: true), "order-amount"),
    (.task(name: "order-amount", split: .test, shuffle: false), "order-amount"),
    (.task(name: "churn", split: .validation, shuffle: false), "churn"),
    (.pretrain, nil),
  ]
  for (mode, taskName) in modes {
    let sampler = try Sampler(database: db, settings: SamplerSettings(mode: mode, batchSize: 4))
    let checker = BatchChecker(
      reference: reference, task: try taskName.map { try TaskReference(db, name: $0) })
    for epoch in 0..<3 {
      let batch = sampler.makeBatch()
      sampler.fill(batch, epoch: epoch, index: 0)
      let issues = checker.issues(batch)
      #expect(issues.isEmpty, "\(mode) epoch \(epoch): \(issues.prefix(5))")
    }
  }
}
