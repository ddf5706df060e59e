// The service: the HTTP application (Hummingbird) over a job queue, with in-process workers and a monitor
// that records finished jobs in the metrics. SIGTERM/SIGINT stop it gracefully: the server stops accepting,
// and workers give their running chunks back to the queue, where a restart (or another worker) resumes them.
// Refuses: nothing itself; routes validate their input.
import Foundation
import HTTPTypes
import Hummingbird
import JobQueue
import Logging
import NIOCore
import ServiceLifecycle

public struct ServiceConfiguration: Sendable {
  public var host: String = "127.0.0.1"
  /// 0 picks a free port (reported through `onListening`).
  public var port: Int = 8080
  public var apiKeys: APIKeys = APIKeys([])
  public var maxBodyBytes: Int = 16 << 20
  /// In-process workers (0: the service only queues; `tributary worker` processes do the work).
  public var workers: Int = 1
  public var worker: WorkerOptions = WorkerOptions()
  /// Directories job inputs and outputs must lie in (nil: the data directory and the current directory).
  public var dataRoots: [String]?
  public init() {}
}

public struct BatchService: Sendable {
  public let queue: any JobQueue
  public let executors: ExecutorRegistry
  public let files: JobFiles
  public let configuration: ServiceConfiguration
  public let metrics = ServiceMetrics()
  static let logger = Logger(label: "tributary.service")

  public init(
    queue: any JobQueue, executors: ExecutorRegistry, files: JobFiles, configuration: ServiceConfiguration
  ) {
    self.queue = queue
    self.executors = executors
    self.files = files
    self.configuration = configuration
  }

  public func router() -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: APIErrorMiddleware())
    router.get("health") { _, _ in try json(["status": "ok"]) }
    let protected = router.group().add(middleware: BearerAuthMiddleware(keys: configuration.apiKeys))
    protected.get("metrics") { _, _ in
      let text = try await metrics.scrape(queue)
      return Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
        body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }
    protected.get("/") { _, _ in
      let now = Date().timeIntervalSince1970
      let page = StatusPage.render(
        try await queue.jobs(state: nil, limit: 50), counts: try await queue.counts(), now: now)
      return Response(
        status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: page)))
    }
    JobRoutes(
      queue: queue, executors: executors, files: files, maxBodyBytes: configuration.maxBodyBytes,
      metrics: metrics, roots: dataRoots
    ).register(on: protected.group("v1"))
    return router
  }

  /// The directories jobs may read and write: the configured ones, or the data and current directories.
  public var dataRoots: DataRoots {
    DataRoots(
      configuration.dataRoots ?? [files.dataDirectory, FileManager.default.currentDirectoryPath])
  }

  /// The application with its workers and monitor as services of its group.
  public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in })
    -> some ApplicationProtocol
  {
    var services: [any Service] = [FinishedJobMonitor(queue: queue, metrics: metrics)]
    for index in 0..<configuration.workers {
      var options = configuration.worker
      options.id += "/\(index)"
      services.append(
        WorkerService(worker: Worker(queue: queue, executors: executors, files: files, options: options)))
    }
    return Application(
      router: router(),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
      services: services,
      onServerRunning: { channel in await onListening(channel.localAddress?.port ?? -1) },
      logger: Self.logger)
  }
}

/// A worker run as a lifecycle service: graceful shutdown cancels it, which gives running chunks back.
struct WorkerService: Service {
  let worker: Worker

  func run() async throws {
    try await cancelWhenGracefulShutdown { await worker.run() }
  }
}

/// Watches for jobs that succeeded (by any worker) and records their latency and SLA misses.
struct FinishedJobMonitor: Service {
  let queue: any JobQueue
  let metrics: ServiceMetrics

  func run() async throws {
    let initial = Set(try await queue.jobs(state: .succeeded, limit: 1000).map(\.id))
    try await cancelWhenGracefulShutdown {
      var seen = initial
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(1))
        guard let recent = try? await queue.jobs(state: .succeeded, limit: 200) else { continue }
        for job in recent where !seen.contains(job.id) {
          seen.insert(job.id)
          metrics.finished(job)
        }
      }
    }
  }
}
