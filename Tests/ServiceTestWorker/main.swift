// Test helper: a queue worker in its own process, so tests can kill -9 it in the middle of a job.
// Usage: service-test-worker DATA_DIR LEASE_SECONDS PAUSE_MS [QUEUE]
// QUEUE is sqlite:PATH or postgres://... (default: DATA_DIR/queue.sqlite). Embeds with the hashing embedder
// (dimension 16), pausing PAUSE_MS per embedder call; runs until the queue is idle (bounded: it exits after
// 120 s whatever happens).
import Foundation
import JobQueue
import PostgresJobQueue
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
    queue: queue, executors: ExecutorRegistry([executor]), files: files,
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
