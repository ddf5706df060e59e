import Foundation
import Logging
import Store
import TestSupport
import Testing
import TextEmbedding

@testable import Preprocess

private let tiny = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Fixtures/tiny")

/// A copy of the tiny database with `metadata.json` edited by `edit` (a textual replacement that must apply).
private func tinyCopy(replacing original: String = "", with replacement: String = "") throws -> URL {
  let copy = TemporaryFiles.url("tiny")
  try FileManager.default.copyItem(at: tiny, to: copy)
  guard !original.isEmpty else { return copy }
  let url = copy.appendingPathComponent("metadata.json")
  let text = try String(contentsOf: url, encoding: .utf8)
  let edited = text.replacingOccurrences(of: original, with: replacement)
  #expect(edited != text, "the edit \(original) -> \(replacement) did not apply")
  try edited.write(to: url, atomically: true, encoding: .utf8)
  return copy
}

@Test(.removesTemporaryFiles) func tinyDatabaseDecodesToItsSourceValues() async throws {
  let (db, _) = try await preprocess(try tinyCopy())
  let order = try db.decodeRow(table: "orders", row: 0)
  #expect(order.cells.map(\.value) == ["present", "present", "12.5", "2022-01-01", "open"])
  #expect(order.parents == [RowLink(table: "customers", row: 0, via: ["customer_id"])])
  #expect(order.children == [ChildGroup(table: "items", via: ["order_id"], count: 2, rows: [0, 1])])
  let nanAmount = try db.decodeRow(table: "orders", row: 1)
  #expect(nanAmount.cells[2].value == nil)
  let customer = try db.decodeRow(table: "customers", row: 2)
  #expect(customer.cells.map(\.value) == ["present", nil, nil, nil])
  #expect(try db.decodeRow(table: "customers", row: 1).cells[2].value == "2021-06-30T23:59:59.000000Z")
  let churn = try db.task(named: "churn")
  #expect(churn.task.danglingEntities == 1)
  #expect(try churn.file.array("seed_row", as: Int32.self) == [0, 1])
  #expect(try churn.file.array("label", as: Float.self) == [0, 1])
  #expect(try churn.file.array("split", as: UInt8.self) == [0, 1])
  let amount = try db.task(named: "order-amount")
  #expect(amount.task.hiddenColumns == ["amount", "status"])
  #expect(try amount.file.array("label_raw", as: Double.self) == [12.5, 7.0, 100.0])
  // Labels are z-scored with the train split's statistics (12.5 and 7: mean 9.75, std 2.75).
  #expect(try amount.file.array("label", as: Float.self) == [1, -1, Float((100 - 9.75) / 2.75)])
}

@Test(
  .removesTemporaryFiles,
  arguments: [
    (
      #""name": "amount", "type": "Numerical""#, #""name": "amount", "type": "Numerical", "bogus": 1"#,
      "unknown key(s) 'bogus'"
    ),
    (
      #""name": "sku", "type": "Categorical""#, #""name": "skew", "type": "Categorical""#,
      "column 'skew' named in metadata.json is not in the file"
    ),
    (
      #""name": "status", "type": "Categorical""#, #""name": "statuz", "type": "Categorical""#,
      "hidden column 'status'"
    ),
    (#""name": "name", "type": "Text""#, #""name": "name", "type": "Timestamp""#, "annotated Timestamp"),
    (
      #""references": {"table": "orders", "columns": ["id"]}"#,
      #""references": {"table": "orders", "columns": ["amount"]}"#, "not its primary key"
    ),
    (#""time_column": "placed_at""#, #""time_column": "status""#, "not Timestamp"),
    (#""target": "amount""#, #""target": "price""#, "target column 'price'"),
    (#""name": "items","#, #""name": "items", "file": "missing.parquet","#, "missing.parquet"),
    (#""name": "customers","#, #""name": "customers", "file": "customers_dup.parquet","#, "rows 1 and 2"),
  ])
func badInputGivesAClearErrorAndLeavesNothing(original: String, replacement: String, message: String)
  async throws
{
  let database = try tinyCopy(replacing: original, with: replacement)
  let out = TemporaryFiles.url("bad")
  let preprocessor = Preprocessor(
    databaseDirectory: database, embedder: HashingEmbedder(dimension: 4),
    options: PreprocessOptions(threads: 1, cacheDirectory: nil), logger: Logger(label: "test"))
  do {
    _ = try await preprocessor.run(outputDirectory: out)
    Issue.record("preprocessed despite \(replacement)")
  } catch {
    #expect("\(error)".contains(message), "\(error)")
  }
  #expect(!FileManager.default.fileExists(atPath: out.path))
  let siblings = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
  #expect(!siblings.contains { $0.contains(out.lastPathComponent) })
}

@Test(.removesTemporaryFiles) func refusesToReplaceAFolderThatIsNotAProcessedDatabase() async throws {
  let out = TemporaryFiles.url("precious")
  try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
  try Data("keep me".utf8).write(to: out.appendingPathComponent("notes.txt"))
  let preprocessor = Preprocessor(
    databaseDirectory: try tinyCopy(), embedder: HashingEmbedder(dimension: 4),
    options: PreprocessOptions(threads: 1, cacheDirectory: nil), logger: Logger(label: "test"))
  await #expect(throws: PreprocessError.self) { try await preprocessor.run(outputDirectory: out) }
  #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
}

@Test(.removesTemporaryFiles) func rerunReusesTheEmbeddingCache() async throws {
  let cache = TemporaryFiles.url("cache")
  let counting = CountingEmbedder()
  for _ in 0..<2 {
    let preprocessor = Preprocessor(
      databaseDirectory: try tinyCopy(), embedder: counting,
      options: PreprocessOptions(threads: 1, cacheDirectory: cache), logger: Logger(label: "test"))
    _ = try await preprocessor.run(outputDirectory: TemporaryFiles.url("rerun"))
  }
  // 12 column names + 8 vocabulary strings, embedded once.
  #expect(counting.embedded.value == 20)
}

final class CountingEmbedder: TextEmbedder, @unchecked Sendable {
  let name = "counting"
  let dimension = 4
  let embedded = LockedCounter()
  func embed(_ texts: [String]) async throws -> EmbeddingMatrix {
    embedded.add(texts.count)
    return try await HashingEmbedder(dimension: 4).embed(texts)
  }
}

final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add(_ n: Int) { lock.withLock { count += n } }
  var value: Int { lock.withLock { count } }
}
