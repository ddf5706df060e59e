// Shared helpers: a throwaway data directory, a queue and worker over it with the hashing embedder, reading a
// job's output back, and the `service-test-worker` helper process built beside the test bundle.
import Foundation
import JobQueue
import Parquet
import TestSupport
import Testing
import TextEmbedding

final class TemporaryDataDirectory: @unchecked Sendable {
  let path: String
  let files: JobFiles

  init() {
    path = TemporaryFiles.url("service").path
    files = JobFiles(dataDirectory: path)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  func queue() throws -> SQLiteJobQueue { try SQLiteJobQueue(path: files.queueDatabase) }

  static let dimension = 16

  static func executors(pause: Duration = .zero) -> ExecutorRegistry {
    ExecutorRegistry([
      EmbedExecutor { name in
        guard name == "hashing" else { throw JobSpecError(field: "embed.embedder", "only hashing in tests") }
        return SlowEmbedder(HashingEmbedder(dimension: dimension), pause: pause)
      }
    ])
  }

  func worker(_ queue: any JobQueue, id: String = "test", lease: Double = 5, pause: Duration = .zero)
    -> Worker
  {
    Worker(
      queue: queue, executors: Self.executors(pause: pause), files: files,
      options: WorkerOptions(id: id, concurrency: 1, leaseSeconds: lease, pollSeconds: 0.02))
  }

  func worker(_ queue: any JobQueue, id: String, lease: Double, concurrency: Int) -> Worker {
    Worker(
      queue: queue, executors: Self.executors(), files: files,
      options: WorkerOptions(id: id, concurrency: concurrency, leaseSeconds: lease, pollSeconds: 0.02))
  }

  /// Validates and queues an inline-text embedding job.
  func submit(_ queue: any JobQueue, texts: [String], chunkSize: Int, priority: Int? = nil) async throws
    -> JobRecord
  {
    let spec = JobSpec(
      kind: .embed, embed: EmbedInput(texts: texts, embedder: "hashing"), priority: priority,
      chunkSize: chunkSize)
    let total = try await Self.executors().plan(spec)
    let id = "job-\(UUID().uuidString.prefix(8).lowercased())"
    return try await queue.submit(
      spec, totalItems: total, chunkSize: chunkSize, outputPath: files.defaultOutput(jobID: id), id: id)
  }
}

enum Texts {
  static func numbered(_ count: Int) -> [String] {
    (0..<count).map { "row \($0): the quick brown fox \($0 % 7) jumps over \($0 * 31 % 97) lazy dogs" }
  }
}

/// A job's output read back: item numbers and vectors.
struct EmbeddingResult {
  var items: [Int64]
  var vectors: [[Float]]

  init(path: String) throws {
    let columns = try ParquetFile(path: path).readColumns(["item", "embedding"], threads: 1)
    guard case .int64(let items) = columns[0].values, case .fixedLenByteArray(let raw) = columns[1].values
    else { throw TestFailure("unexpected column types in \(path)") }
    self.items = items
    vectors = (0..<raw.count).map { row in
      let bytes = Array(raw[row])
      return stride(from: 0, to: bytes.count, by: 4).map { offset in
        Float(
          bitPattern: UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24)
      }
    }
  }

  /// Exactly items 0..<count in order, each vector equal to the embedder's own output for its text.
  static func expectComplete(path: String, texts: [String]) async throws {
    let result = try EmbeddingResult(path: path)
    #expect(result.items == (0..<Int64(texts.count)).map { $0 })
    let reference = try await HashingEmbedder(dimension: TemporaryDataDirectory.dimension).embed(texts).rows
    #expect(result.vectors == reference)
  }
}

enum HelperProcess {
  /// `service-test-worker`, built by SwiftPM into the same directory as the test bundle.
  static func executable() throws -> URL { try TestPaths.helperExecutable("service-test-worker") }

  static func start(dataDirectory: String, lease: Double, pauseMilliseconds: Int, queue: String? = nil) throws
    -> Process
  {
    let process = Process()
    process.executableURL = try executable()
    process.arguments =
      [dataDirectory, String(lease), String(pauseMilliseconds)] + (queue.map { [$0] } ?? [])
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
  }
}

/// Polls `condition` every 20 ms for at most `seconds`.
func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if try await condition() { return true }
    try await Task.sleep(for: .milliseconds(20))
  }
  return false
}

/// kill -9 of a helper worker process in the middle of a 10-chunk embed job on `queue` (the helper uses
/// `helperQueue`, default the data directory's SQLite queue): its lease is lost, a survivor finishes the job, and
/// the output holds exactly the expected rows.
func expectKilledWorkerJobCompletes(
  _ queue: any JobQueue, data: TemporaryDataDirectory, helperQueue: String? = nil
) async throws {
  let texts = Texts.numbered(40)
  let job = try await data.submit(queue, texts: texts, chunkSize: 4)
  // 1.5 s per chunk: the test must see 2..<10 chunks done before the kill, and on 2 loaded cores its polls can
  // wait seconds behind other tests on the cooperative pool (at 0.5 s per chunk the helper once finished first).
  let helper = try HelperProcess.start(
    dataDirectory: data.path, lease: 3, pauseMilliseconds: 1500, queue: helperQueue)
  defer { if helper.isRunning { kill(helper.processIdentifier, SIGKILL) } }
  // Killed while it holds a lease: between finishing a chunk and claiming the next it holds none.
  let midJob = try await waitUntil(seconds: 30) {
    let done = try await queue.job(job.id)?.doneChunks ?? 0
    let leased = try await queue.counts().leasedChunks
    return done >= 2 && leased == 1
  }
  #expect(midJob)
  kill(helper.processIdentifier, SIGKILL)
  helper.waitUntilExit()
  #expect(helper.terminationReason == .uncaughtSignal)
  let partial = try #require(try await queue.job(job.id))
  #expect(partial.state == .running && partial.doneChunks < 10)
  await data.worker(queue, id: "survivor").runUntilIdle()
  let done = try #require(try await queue.job(job.id))
  #expect(done.state == .succeeded && done.doneItems == 40)
  try await EmbeddingResult.expectComplete(path: done.outputPath, texts: texts)
}
