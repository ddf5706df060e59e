// The `predict` fixtures: the shop database (tools/make_predict_fixture.py) preprocessed with the hashing
// embedder, a checkpoint of a small model with fixed random weights, the expected examples of each task split as
// pyarrow read them from the source (Fixtures/shop-expected.json), and a prediction file read back.
import DatabaseSpec
import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import Logging
import Model
import Parquet
import PredictJobs
import Preprocess
import Store
import Tensor
import TestSupport
import Testing
import TextEmbedding
import Training

enum PredictFixture {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")
  static let batchSize = 4
  static let model = ModelConfig(
    width: 16, blocks: 1, heads: 2, ffnWidth: 16, contextLength: 32, embeddingWidth: 8)

  /// Preprocesses the shop database and writes a checkpoint under `root`: (database, checkpoint) paths.
  static func make(in root: String) async throws -> (database: String, checkpoint: String) {
    let database = root + "/shop"
    let preprocessor = Preprocessor(
      databaseDirectory: fixtures.appendingPathComponent("shop"), embedder: HashingEmbedder(dimension: 8),
      options: PreprocessOptions(threads: 1, cacheDirectory: nil), logger: Logger(label: "test"))
    _ = try await preprocessor.run(outputDirectory: URL(fileURLWithPath: database))
    let checkpoint = root + "/checkpoint"
    let cpu = CPUBackend(threads: 1)
    let transformer = try RelationalTransformer(config: model, seed: 5, on: cpu)
    try Checkpoint.save(
      transformer, config: TrainingConfig(model: model, steps: 1, warmupSteps: 1), step: 1,
      to: URL(fileURLWithPath: checkpoint), backend: cpu)
    return (database, checkpoint)
  }

  static func executor() -> PredictExecutor { PredictExecutor(threads: 1, batchSize: batchSize) }

  static func spec(_ paths: (database: String, checkpoint: String), task: String, split: String, chunk: Int)
    -> JobSpec
  {
    JobSpec(
      kind: .predict,
      predict: PredictInput(checkpoint: paths.checkpoint, database: paths.database, task: task, split: split),
      chunkSize: chunk)
  }

  /// The examples pyarrow found: key values, time (µs) and label as text, in split order.
  struct Example {
    var key: String
    var time: Int64
    var label: String
  }

  static func expected(task: String, split: String) throws -> [Example] {
    let data = try Data(contentsOf: fixtures.appendingPathComponent("shop-expected.json"))
    let all = try #require(
      try JSONSerialization.jsonObject(with: data) as? [String: [String: [[String: Any]]]])
    let rows = try #require(all[task]?[split])
    return try rows.map { row in
      let keys = try #require(row["keys"] as? [String])
      return Example(
        key: keys[0], time: try #require((row["time"] as? NSNumber)?.int64Value),
        label: try #require(row["label"] as? String))
    }
  }

  /// Predictions of `TaskPredictor` run directly on the checkpoint, the reference for the job's output.
  static func reference(_ paths: (database: String, checkpoint: String), task: String, split: Split) throws
    -> TaskPredictions
  {
    let cpu = CPUBackend(threads: 1)
    let transformer = try RelationalTransformer(config: model, seed: 0, on: cpu)
    try Checkpoint.load(into: transformer, from: URL(fileURLWithPath: paths.checkpoint), backend: cpu)
    return try TaskPredictor.run(
      model: transformer, database: ProcessedDatabase(directory: URL(fileURLWithPath: paths.database)),
      task: task, split: split, batchSize: batchSize, backend: cpu, threads: 1)
  }
}

/// A prediction file read back, every value rendered as text (keys and labels) or kept as numbers.
struct PredictionFile {
  var keyColumn: String
  var columns: [String]
  var items: [Int64]
  var keys: [String]
  var times: [Int64]
  var labels: [String]
  var predictions: [String]

  init(path: String, keyColumn: String) throws {
    let file = try ParquetFile(path: path)
    self.keyColumn = keyColumn
    columns = file.columns.map(\.name)
    let read = try file.readColumns(["item", keyColumn, "time", "label", "prediction"], threads: 1)
    guard case .int64(let items) = read[0].values, case .int64(let times) = read[2].values else {
      throw TestFailure("item/time are not INT64 in \(path)")
    }
    self.items = items
    self.times = times
    keys = try Self.render(read[1])
    labels = try Self.render(read[3])
    predictions = try Self.render(read[4])
  }

  static func render(_ column: ColumnData) throws -> [String] {
    switch column.values {
    case .int64(let v): return v.map { "\($0)" }
    case .double(let v): return v.map { "\($0)" }
    case .boolean(let v): return v.map { $0 ? "true" : "false" }
    case .byteArray(let v): return (0..<v.count).map { String(decoding: v[$0], as: UTF8.self) }
    default: throw TestFailure("unexpected type of \(column.descriptor.name)")
    }
  }

  /// Exactly the split's examples in order, keys, times and labels as pyarrow read them from the source,
  /// predictions equal to `TaskPredictor` run directly.
  func expectMatches(
    _ expected: [PredictFixture.Example], reference: TaskPredictions, database: ProcessedDatabase
  ) throws {
    #expect(items == (0..<Int64(expected.count)).map { $0 })
    #expect(keys == expected.map(\.key))
    #expect(times == expected.map(\.time))
    #expect(labels == expected.map(\.label))
    let categorical = reference.kind == .categorical || reference.kind == .text
    let wanted = try reference.examples.map { example in
      categorical ? try database.vocabularyValue(Int(example.prediction)) : "\(example.prediction)"
    }
    #expect(predictions == wanted)
  }
}

/// Submits `spec` over HTTP, waits for success and downloads the result; the job's id.
@discardableResult
func runJob(_ spec: JobSpec, client: some TestClientProtocol, downloadTo output: String) async throws
  -> String
{
  let body = ByteBuffer(data: try JSONEncoder().encode(spec))
  let id = try await client.execute(uri: "/v1/jobs", method: .post, body: body) { response in
    #expect(response.status == .accepted)
    return try #require(try HTTPTests.object(response)["id"] as? String)
  }
  #expect(
    try await waitUntil(seconds: 60) {
      try await client.execute(uri: "/v1/jobs/\(id)", method: .get) {
        try HTTPTests.object($0)["state"] as? String == "succeeded"
      }
    })
  try await client.execute(uri: "/v1/jobs/\(id)/result", method: .get) { response in
    #expect(response.status == .ok)
    try Data(buffer: response.body).write(to: URL(fileURLWithPath: output))
  }
  return id
}
