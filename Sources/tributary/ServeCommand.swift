// `tributary serve`: the batch prediction service (HTTP API, status page, metrics) with in-process workers over
// a durable queue. `tributary worker` runs more workers against the same queue. See docs/service.md.
import ArgumentParser
import Foundation
import JobQueue
import Logging
import PostgresJobQueue
import PredictJobs
import Service
import TextEmbedding

/// Options shared by `serve` and `worker`.
struct QueueOptions: ParsableArguments {
  @Option(help: "sqlite:PATH (default: sqlite:$TRIBUTARY_HOME/service/queue.sqlite) or postgres://...")
  var queue: String?

  @Option(help: "Directory for chunk outputs and results (default: beside the SQLite queue).")
  var dataDir: String?

  @Option(help: "Chunks run at once by each worker.")
  var concurrency = 1

  @Option(help: "Seconds a claimed chunk stays leased without a heartbeat.")
  var leaseSeconds: Double = 30

  @Option(help: "Chunks leased at once over all workers of the queue (default: no limit).")
  var globalLimit: Int?

  @Option(help: "Threads of the MiniLM embedder.")
  var embedThreads = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Threads of the model in predict jobs.")
  var predictThreads = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Contexts per forward pass in predict jobs.")
  var predictBatchSize = 16

  func validate() throws {
    guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
    guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be at least 1") }
    if let globalLimit, globalLimit < 1 { throw ValidationError("--global-limit must be at least 1") }
    guard predictThreads >= 1 else { throw ValidationError("--predict-threads must be at least 1") }
    guard (1...4096).contains(predictBatchSize) else {
      throw ValidationError("--predict-batch-size must be within 1...4096")
    }
  }

  func location() throws -> QueueLocation {
    if let queue { return try QueueLocation(parsing: queue) }
    let home =
      ProcessInfo.processInfo.environment["TRIBUTARY_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() + "/.tributary")
    return .sqlite(path: home + "/service/queue.sqlite")
  }

  func files(_ location: QueueLocation) throws -> JobFiles {
    guard let directory = dataDir ?? location.siblingDataDirectory else {
      throw ValidationError("--data-dir is required with a PostgreSQL queue (a directory all workers share)")
    }
    return JobFiles(dataDirectory: directory)
  }

  func workerOptions(id: String = WorkerOptions.defaultID()) -> WorkerOptions {
    WorkerOptions(id: id, concurrency: concurrency, leaseSeconds: leaseSeconds, globalLimit: globalLimit)
  }

  /// `embed` (MiniLM loaded once, when its weights are found; `hashing` always) and `predict`.
  func executors() -> ExecutorRegistry {
    let minilm: (any TextEmbedder)?
    do { minilm = try MiniLMEmbedder(workers: embedThreads) } catch {
      Logger(label: "tributary.service").warning(
        "MiniLM unavailable, embed jobs may use 'hashing' only: \(error)")
      minilm = nil
    }
    var loader: (@Sendable () throws -> any TextEmbedder)?
    if let minilm { loader = { @Sendable in minilm } }
    return ExecutorRegistry([
      EmbedExecutor(embedders: EmbedderCatalog.resolver(minilm: loader)),
      PredictExecutor(threads: predictThreads, batchSize: predictBatchSize),
    ])
  }
}

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Run the batch prediction service (HTTP API, status page, metrics) with workers.",
    discussion: "TRIBUTARY_API_KEYS=key1,key2 turns on bearer-token auth. SIGTERM/SIGINT stop gracefully.")

  @Option(help: "Address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "Port to listen on (0: any free port).")
  var port = 8080

  @Option(help: "In-process workers (0: only queue; run `tributary worker` processes).")
  var workers = 1

  @Option(help: "Largest request body accepted, in bytes.")
  var maxBodyBytes = 16 << 20

  @Option(
    name: .customLong("data-root"),
    help: ArgumentHelp(
      "A directory job inputs and outputs may lie in (repeat; default: $TRIBUTARY_DATA_ROOTS, colon-separated, "
        + "else the data directory and the current directory)."))
  var dataRoots: [String] = []

  @OptionGroup var queueOptions: QueueOptions

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be within 0...65535") }
    guard workers >= 0 else { throw ValidationError("--workers must be at least 0") }
    guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
  }

  func run() async throws {
    let location = try queueOptions.location()
    let files = try queueOptions.files(location)
    var configuration = ServiceConfiguration()
    configuration.host = host
    configuration.port = port
    configuration.workers = workers
    configuration.maxBodyBytes = maxBodyBytes
    configuration.apiKeys = APIKeys.fromEnvironment()
    configuration.worker = queueOptions.workerOptions()
    configuration.dataRoots = dataRoots.isEmpty ? DataRoots.fromEnvironment() : dataRoots
    let service = BatchService(
      queue: try await Queues.open(location), executors: queueOptions.executors(), files: files,
      configuration: configuration)
    let auth = configuration.apiKeys.isEnabled ? "on" : "off"
    try await service.application { port in
      FileHandle.standardError.write(
        Data("tributary serve: listening on \(host):\(port), auth \(auth)\n".utf8))
    }.runService()
  }
}
