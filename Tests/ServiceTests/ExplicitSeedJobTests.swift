// `predict` jobs over explicit seeds: rows of a task's seed table named by key (or a previous prediction file),
// at given times. A seed that repeats a task example must get that example's prediction (TaskPredictor over the
// split, run directly), in the seeds' order, with keys as pyarrow read them and no example or label; seeds that
// cannot be resolved are refused at submission, naming the field and position.
import DatabaseSpec
import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import Parquet
import PredictJobs
import Service
import Store
import Testing
import Training

@Suite struct ExplicitSeedJobTests {
  typealias Paths = (database: String, checkpoint: String)

  @Test func churnSeedsByKeyOverHTTPDoNotDependOnTheirOrderOrChunks() async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    let expected = try PredictFixture.expected(task: "churn", split: "test")
    let time = try #require(expected.first?.time)
    #expect(expected.allSatisfy { $0.time == time }, "the fixture's test split has one time")
    // The same seeds forward in chunks of 5, with the job's time, and reversed in chunks of 3, with their own.
    let forward = expected.map { SeedInput(key: [.string($0.key)]) }
    let reversed = expected.reversed().map {
      SeedInput(key: [.string($0.key)], time: ISO8601Micros.format($0.time))
    }
    var configuration = ServiceConfiguration()
    configuration.port = 0
    configuration.worker = WorkerOptions(id: "seeds-http", leaseSeconds: 5, pollSeconds: 0.02)
    let service = BatchService(
      queue: try data.queue(), executors: PredictJobTests.registry(), files: data.files,
      configuration: configuration)
    let spec = { @Sendable (seeds: [SeedInput], time: String?, chunk: Int) -> JobSpec in
      JobSpec(
        kind: .predict,
        predict: PredictInput(
          checkpoint: paths.checkpoint, database: paths.database, task: "churn", seeds: seeds, time: time),
        chunkSize: chunk)
    }
    let outputs = [data.path + "/forward.parquet", data.path + "/reversed.parquet"]
    try await service.application().test(.live) { client in
      for (job, output) in zip(
        [spec(forward, ISO8601Micros.format(time), 5), spec(reversed, nil, 3)],
        outputs)
      {
        try await runJob(job, client: client, downloadTo: output)
      }
    }
    let a = try PredictionFile(path: outputs[0], keyColumn: "customer")
    let b = try PredictionFile(path: outputs[1], keyColumn: "customer")
    try expectSeedColumns(a, at: outputs[0], keys: expected.map(\.key), times: expected.map(\.time))
    try expectSeedColumns(
      b, at: outputs[1], keys: expected.reversed().map(\.key), times: expected.map(\.time))
    let forwardByKey = Dictionary(uniqueKeysWithValues: zip(a.keys, a.predictions.compactMap(Double.init)))
    for (key, prediction) in zip(b.keys, b.predictions.compactMap(Double.init)) {
      let other = try #require(forwardByKey[key])
      #expect(abs(other - prediction) <= 1e-6, "customer \(key): \(other) forward, \(prediction) reversed")
    }
  }

  @Test func aPreviousPredictionFileServesAsTheSeedsOfACellTask() async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    let database = try ProcessedDatabase(directory: URL(fileURLWithPath: paths.database))
    let reference = try PredictFixture.reference(paths, task: "order-amount", split: .validation)
    let seedsFile = data.path + "/validation-predictions.parquet"
    try PredictionOutput.write(
      reference, keys: try ExampleKeys(database: database, task: "order-amount"), database: database,
      to: seedsFile)
    let spec = JobSpec(
      kind: .predict,
      predict: PredictInput(
        checkpoint: paths.checkpoint, database: paths.database, task: "order-amount", seedsPath: seedsFile),
      chunkSize: 7)
    let done = try await PredictJobTests().runThroughQueue(data, spec)
    let expected = try PredictFixture.expected(task: "order-amount", split: "validation")
    let file = try PredictionFile(path: done.outputPath, keyColumn: "id")
    try expectSeedColumns(file, at: done.outputPath, keys: expected.map(\.key), times: expected.map(\.time))
    // An order's context is its customer and the customer's earlier orders: the same as the example's when
    // they all fit, as here (L = 32), so the predictions agree up to summation order.
    for (k, (got, want)) in zip(
      file.predictions.compactMap(Double.init), reference.examples.map(\.prediction)
    )
    .enumerated() {
      #expect(abs(got - want) <= 1e-6 * abs(want), "seed \(k): \(got), example \(want)")
    }
  }

  @Test func aSeedsFileChangedAfterSubmissionFailsTheJob() async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    let database = try ProcessedDatabase(directory: URL(fileURLWithPath: paths.database))
    let keys = try ExampleKeys(database: database, task: "order-amount")
    let seedsFile = data.path + "/seeds.parquet"
    func writeSeeds(_ split: Split) throws {
      let reference = try PredictFixture.reference(paths, task: "order-amount", split: split)
      try PredictionOutput.write(reference, keys: keys, database: database, to: seedsFile)
    }
    try writeSeeds(.validation)
    let spec = JobSpec(
      kind: .predict,
      predict: PredictInput(
        checkpoint: paths.checkpoint, database: paths.database, task: "order-amount", seedsPath: seedsFile),
      chunkSize: 7)
    let queue = try data.queue()
    let job = try await PredictJobTests().submit(data, queue, spec)
    try writeSeeds(.train)  // more rows, other seeds
    await Worker(
      queue: queue, executors: PredictJobTests.registry(), files: data.files,
      options: WorkerOptions(id: "seeds", leaseSeconds: 5, pollSeconds: 0.02)
    ).runUntilIdle()
    let done = try #require(try await queue.job(job.id))
    #expect(
      done.state == .failed && done.error?.contains("changed after submission") == true, "\(done.error ?? "")"
    )
  }

  /// The file's rows: items 0..<n, the given keys and times, no example, no label.
  private func expectSeedColumns(_ file: PredictionFile, at path: String, keys: [String], times: [Int64])
    throws
  {
    #expect(
      file.columns == ["item", "example", file.keyColumn, "seed_row", "time", "prediction", "label", "rank"])
    #expect(file.items == (0..<Int64(keys.count)).map { $0 })
    #expect(file.keys == keys && file.times == times)
    let parquet = try ParquetFile(path: path)
    for name in ["example", "label"] {
      let column = try parquet.readColumn(name)
      #expect((0..<keys.count).allSatisfy(column.isNull), "\(name) is not null everywhere")
    }
  }

  @Test func seedsThatCannotBeResolvedAreRefusedNamingTheFieldAndPosition() async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    let registry = PredictJobTests.registry()
    func refusal(_ task: String, _ change: (inout PredictInput) -> Void) async -> String {
      var input = PredictInput(checkpoint: paths.checkpoint, database: paths.database, task: task)
      change(&input)
      do {
        _ = try await registry.plan(JobSpec(kind: .predict, predict: input))
        return "accepted"
      } catch let error as JobSpecError { return "\(error)" } catch { return "other: \(error)" }
    }
    let customer = SeedInput(key: [.string("C-007")], time: "2022-11-01")
    #expect(await refusal("churn") { $0.seeds = [customer] } == "accepted")
    #expect(
      await refusal("churn") {
        $0.seeds = [customer, SeedInput(key: [.string("C-999")], time: "2022-11-01")]
      }
        == "predict.seeds[1].key: no row of table 'customers' has key 'C-999'")
    #expect(
      await refusal("churn") { $0.seeds = [SeedInput(key: [.string("C-007")])] }
        .hasPrefix("predict.seeds[0].time: task 'churn' predicts at a time"))
    #expect(
      await refusal("churn") { $0.seeds = [SeedInput(row: 0, time: "2022-13-01")] }
        .hasPrefix("predict.seeds[0].time: is not an ISO-8601"))
    #expect(
      await refusal("churn") { $0.seeds = [SeedInput(row: 0, time: "0000-06-01")] }
        == "predict.seeds[0].time: 0000-06-01 is outside the years 0001-9999")
    #expect(
      await refusal("churn") { $0.seeds = [SeedInput(key: [.string("C-007")], row: 0)] }
        == "predict.seeds[0]: needs exactly one of key and row")
    #expect(
      await refusal("churn") { $0.seeds = [SeedInput(row: 400, time: "2022-11-01")] }
        .hasPrefix("predict.seeds[0]: row 400 is outside table 'customers'"))
    #expect(await refusal("churn") { $0.seeds = [] }.hasPrefix("predict.seeds: must hold 1...100000 seeds"))
    #expect(
      await refusal("churn") {
        $0.seeds = [customer]; $0.split = "test"
      }.hasPrefix("predict.split:"))
    #expect(
      await refusal("churn") {
        $0.seeds = [customer]; $0.seedsPath = "/x.parquet"
      }
      .hasPrefix("predict.seeds_path: give seeds or seeds_path"))
    #expect(
      await refusal("churn") { $0.seedsPath = "relative.parquet" }.hasPrefix(
        "predict.seeds_path: must be an absolute"))
    #expect(
      await refusal("churn") { $0.seedsPath = paths.database + "/none.parquet" }.hasPrefix(
        "predict.seeds_path: cannot be read"))
    // Orders: integer keys match JSON integers and digit strings; a cell task takes the row's own time only.
    #expect(
      await refusal("order-amount") {
        $0.seeds = [SeedInput(key: [.int(5000)]), SeedInput(key: [.string("5007")])]
      }
        == "accepted")
    #expect(
      await refusal("order-amount") {
        $0.seeds = [SeedInput(key: [.int(5000)], time: "2022-01-01T07:00:00Z")]
      }
        == "accepted")
    #expect(
      await refusal("order-amount") { $0.seeds = [SeedInput(key: [.int(5000)], time: "2022-02-01")] }
        .hasPrefix(
          "predict.seeds[0]: task order-amount predicts a row as of its own time; 2022-02-01 differs"))
    #expect(
      await refusal("order-amount") {
        $0.seeds = [SeedInput(key: [.int(5000)])]; $0.time = "2022-02-01"
      }
      .hasPrefix("predict.time: task 'order-amount' predicts a row as of its own time"))
    #expect(
      await refusal("order-amount") { $0.time = "2022-02-01" }.hasPrefix(
        "predict.time: is the time of explicit seeds"))
  }
}
