// `tributary worker`: claims chunks from a queue shared with `tributary serve` (the same SQLite file on this
// machine, or PostgreSQL across machines) until stopped; SIGTERM/SIGINT give the running chunks back.
import ArgumentParser
import Foundation
import JobQueue
import PostgresJobQueue

#if canImport(Glibc)
  import Glibc
#endif

struct WorkerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "worker", abstract: "Run queue workers beside `tributary serve`.")

  @OptionGroup var queueOptions: QueueOptions

  @Flag(help: "Exit once no chunk is pending or running anywhere in the queue.")
  var untilIdle = false

  func run() async throws {
    let location = try queueOptions.location()
    let worker = Worker(
      queue: try await Queues.open(location), executors: queueOptions.executors(),
      files: try queueOptions.files(location),
      options: queueOptions.workerOptions())
    if untilIdle {
      await worker.runUntilIdle()
      return
    }
    let running = Task { await worker.run() }
    await StopSignals.wait()
    running.cancel()
    await running.value
  }
}

/// Waits for SIGTERM or SIGINT.
enum StopSignals {
  static func wait() async {
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    let stream = AsyncStream<Void> { continuation in
      let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
      for source in sources {
        source.setEventHandler { continuation.yield() }
        source.resume()
      }
      // The sources live as long as the process: a stopping worker exits right after.
      _ = Unmanaged.passRetained(sources as NSArray)
    }
    for await _ in stream { return }
  }
}
