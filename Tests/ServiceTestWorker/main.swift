// Test helper: a queue worker in its own process, so tests can kill -9 it in the middle of a job.
// Usage: service-test-worker DATA_DIR LEASE_SECONDS PAUSE_MS [QUEUE]
// QUEUE is sqlite:PATH or postgres://... (default: DATA_DIR/queue.sqlite). Embeds with the hashing embedder
// (dimension 16), pausing PAUSE_MS per embedder call, and runs `predict` jobs (threads 1, batch size 4, as the
// tests' PredictFixture) pausing PAUSE_MS per chunk; runs until the queue is idle (bounded: it exits after
// 120 s whatever happens).
import Foundation
import JobQueue
import PostgresJobQueue
import PredictJobs
import TextEmbedding

let arguments = CommandLine.arguments
guard (4...5).contains(arguments.count), let lease = Double(arguments[2]), let pause = Int(arguments[3])
else {
  FileHandle.standardError.write(
    Data("usage: service-test-worker DATA_DIR LEASE_SECONDS PAUSE_MS [QUEUE]\n".utf8))
  exit(2)
}
let files = JobFiles(dataDirectory: arguments[1])
do {
  let location = try QueueLocation(
    parsing: arguments.count == 5 ? arguments[4] : "sqlite:" + files.queueDatabase)
  let queue = try await Queues.open(location)
  let executor = EmbedExecutor { name in
    guard name == "hashing" else { throw JobSpecError(field: "embed.embedder", "only hashing here") }
    return SlowEmbedder(HashingEmbedder(dimension: 16), pause: .milliseconds(pause))
  }
  let worker = Worker(
    queue: queue,
    executors: ExecutorRegistry([
      executor, PausingExecutor(PredictExecutor(threads: 1, batchSize: 4), pause: .milliseconds(pause)),
    ]),
    files: files,
    options: WorkerOptions(id: "helper-\(ProcessInfo.processInfo.processIdentifier)", leaseSeconds: lease))
  let deadline = Task {
    try await Task.sleep(for: .seconds(120))
    exit(3)
  }
  await worker.runUntilIdle()
  deadline.cancel()
} catch {
  FileHandle.standardError.write(Data("service-test-worker: \(error)\n".utf8))
  exit(1)
}

/// An executor that waits `pause` before each chunk, so a test can kill the process between chunks.
struct PausingExecutor: ChunkExecutor {
  let inner: any ChunkExecutor
  let pause: Duration
  var kind: JobKind { inner.kind }

  init(_ inner: any ChunkExecutor, pause: Duration) {
    self.inner = inner
    self.pause = pause
  }

  func plan(_ spec: JobSpec) async throws -> Int { try await inner.plan(spec) }

  func execute(_ spec: JobSpec, items: Range<Int>, output: String) async throws {
    try await Task.sleep(for: pause)
    try await inner.execute(spec, items: items, output: output)
  }
}
