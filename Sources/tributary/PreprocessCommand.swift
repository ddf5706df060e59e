// `tributary preprocess DB_DIR --out OUT_DIR`: a database (Parquet + metadata.json) into the processed format.
import ArgumentParser
import Experiments
import Foundation
import Logging
import Preprocess
import Runtime
import TextEmbedding

enum EmbedderChoice: String, ExpressibleByArgument, CaseIterable {
  /// all-MiniLM-L6-v2 running in Swift (the default).
  case local
  /// Any OpenAI-compatible /v1/embeddings endpoint.
  case openai
  /// Deterministic hashing vectors: no model, for tests and quick looks at the pipeline.
  case hashing
}

struct PreprocessCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "preprocess",
    abstract: "Turn a database (Parquet files + metadata.json) into Tributary's processed format.")

  @Argument(help: "Folder with metadata.json and the tables' Parquet files.")
  var database: String

  @Option(name: .long, help: "Output folder (replaced only if it is a processed database).")
  var out: String

  @Option(name: .long, help: "Text embedder for vocabulary and column names.")
  var embedder: EmbedderChoice = .local

  @Option(name: .long, help: "Model name for --embedder openai.")
  var embedderModel: String = "text-embedding-3-small"

  @Option(name: .long, help: "Output dimension to request from --embedder openai (default: the model's).")
  var embedderDimensions: Int?

  @Option(name: .long, help: "Worker threads (default: all cores).")
  var threads: Int = Parallel.defaultThreads

  @Option(name: .long, help: "Where --embedder local runs: cpu, cuda or auto.")
  var device = DeviceChoice.cpu

  @Flag(name: .long, help: "Do not read or write the embedding cache.")
  var noCache = false

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
  }

  func run() async throws {
    let logger = Logger(label: "tributary.preprocess")
    let options = PreprocessOptions(
      threads: threads,
      cacheDirectory: noCache ? nil : TributaryHome.directory.appendingPathComponent("cache/embeddings"),
      tributaryVersion: TributaryVersion.string)
    let preprocessor = Preprocessor(
      databaseDirectory: URL(fileURLWithPath: database),
      embedder: try await makeEmbedder(
        embedder, threads: threads, model: embedderModel, dimensions: embedderDimensions, device: device),
      options: options, logger: logger)
    let summary = try await preprocessor.run(outputDirectory: URL(fileURLWithPath: out))
    registerInExperimentStore(logger: logger)
    let m = summary.metadata
    print(
      """
      \(m.name): \(m.tables.count) tables, \(ProgressReporter.count(summary.rows)) rows, \
      \(ProgressReporter.count(summary.cells)) cells, \(ProgressReporter.count(m.graph.edges)) edges, \
      vocabulary \(ProgressReporter.count(m.vocabularySize)), \(m.tasks.count) tasks -> \(out)
      encoding \(ProgressReporter.duration(summary.encodingSeconds)) \
      (\(ProgressReporter.count(Int(Double(summary.cells) / max(summary.encodingSeconds, 1e-9)))) cells/s), \
      embedding \(ProgressReporter.duration(summary.embeddingSeconds)), total \(ProgressReporter.duration(summary.totalSeconds))
      """)
  }
}

extension PreprocessCommand {
  /// `tributary databases list` shows processed databases; failing to record one never fails preprocessing.
  func registerInExperimentStore(logger: Logger) {
    do {
      _ = try ExperimentStore.open().registerDatabase(at: out)
    } catch {
      logger.warning("could not record \(out) in the experiment store: \(error)")
    }
  }
}

func makeEmbedder(
  _ choice: EmbedderChoice, threads: Int, model: String, dimensions: Int?, device: DeviceChoice = .cpu
) async throws -> any TextEmbedder {
  switch choice {
  case .local:
    return try MiniLMEmbedder(
      workers: threads, tokensPerBatch: device.tokensPerBatch, device: try device.embeddingDevice())
  case .hashing: return HashingEmbedder()
  case .openai:
    let configuration = try OpenAIEmbedderConfiguration.fromEnvironment(model: model, dimensions: dimensions)
    return try await OpenAIEmbedder(configuration: configuration)
  }
}

/// Tributary's data directory: TRIBUTARY_HOME, else ~/.tributary.
enum TributaryHome {
  static var directory: URL {
    if let home = ProcessInfo.processInfo.environment["TRIBUTARY_HOME"], !home.isEmpty {
      return URL(fileURLWithPath: home)
    }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".tributary")
  }
}
