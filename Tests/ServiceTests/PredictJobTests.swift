// `predict` jobs end to end: over HTTP on loopback, and through the queue for each kind of task (regression,
// categorical, boolean entity task); a worker killed with SIGKILL mid-job; inputs refused naming the field.
import DatabaseSpec
import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import PredictJobs
import Service
import Store
import Testing

@Suite struct PredictJobTests {
  static func registry() -> ExecutorRegistry { ExecutorRegistry([PredictFixture.executor()]) }

  func submit(_ data: TemporaryDataDirectory, _ queue: any JobQueue, _ spec: JobSpec) async throws
    -> JobRecord
  {
    let total = try await Self.registry().plan(spec)
    let spec = try await Self.registry().resolve(spec)  // as the service stores it
    let id = "job-\(UUID().uuidString.prefix(8).lowercased())"
    return try await queue.submit(
      spec, totalItems: total, chunkSize: spec.chunkSize ?? 256,
      outputPath: data.files.defaultOutput(jobID: id),
      id: id)
  }

  /// Submits `spec` to a SQLite queue, runs a worker (2 chunks at a time) until it is idle; the finished job.
  func runThroughQueue(_ data: TemporaryDataDirectory, _ spec: JobSpec) async throws -> JobRecord {
    let queue = try data.queue()
    let job = try await submit(data, queue, spec)
    await Worker(
      queue: queue, executors: Self.registry(), files: data.files,
      options: WorkerOptions(id: "predict", concurrency: 2, leaseSeconds: 5, pollSeconds: 0.02)
    ).runUntilIdle()
    let done = try #require(try await queue.job(job.id))
    #expect(done.state == .succeeded, "\(done.error ?? "")")
    return done
  }

  @Test func predictJobOverHTTPMatchesThePredictorAndTheSourceKeys() async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    var configuration = ServiceConfiguration()
    configuration.port = 0
    configuration.worker = WorkerOptions(id: "predict-http", leaseSeconds: 5, pollSeconds: 0.02)
    let service = BatchService(
      queue: try data.queue(), executors: Self.registry(), files: data.files, configuration: configuration)
    let spec = PredictFixture.spec(paths, task: "order-amount", split: "test", chunk: 5)
    let output = data.path + "/downloaded.parquet"
    try await service.application().test(.live) { client in
      let id = try await runJob(spec, client: client, downloadTo: output)
      try await client.execute(uri: "/v1/jobs/\(id)", method: .get) { response in
        let job = try HTTPTests.object(response)
        let progress = try #require(job["progress"] as? [String: Any])
        #expect(progress["items_done"] as? Int == 24 && progress["chunks_total"] as? Int == 5)
        let items = try #require(job["items_per_second"] as? Double)
        let cells = try #require(job["cells_per_second"] as? Double)
        #expect(abs(cells - items * Double(PredictFixture.model.contextLength)) <= 1e-9 * cells)
      }
      let file = try PredictionFile(path: output, keyColumn: "id")
      #expect(file.columns == ["item", "example", "id", "seed_row", "time", "prediction", "label", "rank"])
      try file.expectMatches(
        try PredictFixture.expected(task: "order-amount", split: "test"),
        reference: try PredictFixture.reference(paths, task: "order-amount", split: .test),
        database: try ProcessedDatabase(directory: URL(fileURLWithPath: paths.database)))
    }
  }

  @Test(arguments: [("order-status", "validation", "id"), ("churn", "train", "customer")])
  func everyKindOfTaskThroughTheQueue(task: String, split: String, keyColumn: String) async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    let done = try await runThroughQueue(data, PredictFixture.spec(paths, task: task, split: split, chunk: 7))
    try PredictionFile(path: done.outputPath, keyColumn: keyColumn).expectMatches(
      try PredictFixture.expected(task: task, split: split),
      reference: try PredictFixture.reference(paths, task: task, split: Split(rawValue: split) ?? .test),
      database: try ProcessedDatabase(directory: URL(fileURLWithPath: paths.database)))
  }

  @Test func workerKilledMidPredictJobStillCompletesExactly() async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    let queue = try data.queue()
    let job = try await submit(
      data, queue, PredictFixture.spec(paths, task: "order-amount", split: "train", chunk: 3))
    let helper = try HelperProcess.start(dataDirectory: data.path, lease: 3, pauseMilliseconds: 500)
    defer { if helper.isRunning { kill(helper.processIdentifier, SIGKILL) } }
    #expect(try await waitUntil(seconds: 60) { try await queue.job(job.id)?.doneChunks ?? 0 >= 2 })
    kill(helper.processIdentifier, SIGKILL)
    helper.waitUntilExit()
    #expect(helper.terminationReason == .uncaughtSignal)
    let partial = try #require(try await queue.job(job.id))
    #expect(partial.state == .running && partial.doneChunks < partial.chunkCount)
    await Worker(
      queue: queue, executors: Self.registry(), files: data.files,
      options: WorkerOptions(id: "survivor", leaseSeconds: 5, pollSeconds: 0.02)
    ).runUntilIdle()
    let done = try #require(try await queue.job(job.id))
    #expect(done.state == .succeeded && done.doneItems == 69)
    try PredictionFile(path: done.outputPath, keyColumn: "id").expectMatches(
      try PredictFixture.expected(task: "order-amount", split: "train"),
      reference: try PredictFixture.reference(paths, task: "order-amount", split: .train),
      database: try ProcessedDatabase(directory: URL(fileURLWithPath: paths.database)))
  }

  @Test func badPredictInputIsRefusedNamingTheField() async throws {
    let data = TemporaryDataDirectory()
    let paths = try await PredictFixture.make(in: data.path)
    let registry = Self.registry()
    func field(_ input: PredictInput) async -> String? {
      do {
        _ = try await registry.plan(JobSpec(kind: .predict, predict: input))
        return nil
      } catch let error as JobSpecError { return error.field } catch { return "other: \(error)" }
    }
    let (c, d) = (paths.checkpoint, paths.database)
    #expect(await field(PredictInput(checkpoint: c, database: d, task: "churn", split: "test")) == nil)
    #expect(await field(PredictInput(checkpoint: "rel", database: d, task: "churn")) == "predict.checkpoint")
    #expect(await field(PredictInput(checkpoint: c, database: "rel", task: "churn")) == "predict.database")
    #expect(await field(PredictInput(checkpoint: c, database: d)) == "predict.task")
    #expect(
      await field(PredictInput(checkpoint: c, database: d, task: "churn", split: "dev")) == "predict.split")
    #expect(
      await field(PredictInput(checkpoint: c + "/none", database: d, task: "churn")) == "predict.checkpoint")
    #expect(
      await field(PredictInput(checkpoint: c, database: d + "/none", task: "churn")) == "predict.database")
    #expect(await field(PredictInput(checkpoint: c, database: d, task: "nothing")) == "predict.task")
    #expect(
      await field(PredictInput(checkpoint: c, database: d, task: "churn", batchSize: 0))
        == "predict.batch_size")
    let stored = try await registry.resolve(
      JobSpec(kind: .predict, predict: PredictInput(checkpoint: c, database: d, task: "churn")))
    #expect(stored.predict?.batchSize == PredictFixture.batchSize)
    #expect(stored.cellsPerItem == PredictFixture.model.contextLength)
    let chosen = try await registry.resolve(
      JobSpec(kind: .predict, predict: PredictInput(checkpoint: c, database: d, task: "churn", batchSize: 9)))
    #expect(chosen.predict?.batchSize == 9)
  }
}
