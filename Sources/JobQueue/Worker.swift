// A worker: `concurrency` slots, each claiming one chunk at a time, running it with the job's executor while a
// heartbeat renews the lease, then marking it done. Back-pressure comes from the fixed slot count: a worker
// never holds more chunks than slots. Stopping the worker (cancelling its task) gives running chunks back to
// the queue at once. A lost lease or a cancelled job stops the chunk's work.
// Refuses: to retry an executor's `PermanentJobError` or a `JobSpecError`: the job fails with its message.
import Foundation
import Logging

public struct WorkerOptions: Sendable {
  public var id: String
  public var concurrency: Int
  public var leaseSeconds: Double
  public var pollSeconds: Double
  /// Chunks leased at once over all workers of the queue (nil: no limit).
  public var globalLimit: Int?

  public init(
    id: String = WorkerOptions.defaultID(), concurrency: Int = 1, leaseSeconds: Double = 30,
    pollSeconds: Double = 0.2, globalLimit: Int? = nil
  ) {
    self.id = id
    self.concurrency = max(1, concurrency)
    self.leaseSeconds = max(0.1, leaseSeconds)
    self.pollSeconds = max(0.001, pollSeconds)
    self.globalLimit = globalLimit
  }

  public static func defaultID() -> String {
    "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
  }
}

public struct Worker: Sendable {
  public let queue: any JobQueue
  public let executors: ExecutorRegistry
  public let files: JobFiles
  public let options: WorkerOptions
  static let logger = Logger(label: "tributary.service.worker")

  public init(queue: any JobQueue, executors: ExecutorRegistry, files: JobFiles, options: WorkerOptions) {
    self.queue = queue
    self.executors = executors
    self.files = files
    self.options = options
  }

  /// Runs until the calling task is cancelled.
  public func run() async {
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<options.concurrency {
        group.addTask { await slot(untilIdle: false) }
      }
    }
  }

  /// Runs until no chunk is pending or leased anywhere in the queue (tests, one-shot workers).
  public func runUntilIdle() async {
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<options.concurrency {
        group.addTask { await slot(untilIdle: true) }
      }
    }
  }

  func slot(untilIdle: Bool) async {
    while !Task.isCancelled {
      do {
        if let lease = try await queue.claim(
          worker: options.id, leaseSeconds: options.leaseSeconds, globalLimit: options.globalLimit)
        {
          await process(lease)
          continue
        }
        if untilIdle {
          let counts = try await queue.counts()
          if counts.pendingChunks + counts.leasedChunks == 0 { return }
        }
      } catch is CancellationError {
        return
      } catch {
        Self.logger.error("worker \(options.id): queue error: \(error)")
      }
      try? await Task.sleep(for: .seconds(options.pollSeconds))
    }
  }
}
