// Preprocessing end to end: metadata.json + Parquet files -> a processed database (docs/format.md).
// Order: validate the description; scale time over the whole database (a pass over timestamp columns only); then
// table by table read, encode, write and free (keeping only keys and row times); resolve keys into the graph;
// materialize tasks; embed what the cache lacks; write the rest, then swap into place.
import DatabaseSpec
import Foundation
import Logging
import Runtime
import Store
import TextEmbedding

public struct PreprocessOptions: Sendable {
  public var threads: Int
  /// Embedding cache directory; nil disables the cache.
  public var cacheDirectory: URL?
  /// Strings handed to the embedder per call: large, so it can sort by length and pad little.
  public var embeddingBatchSize: Int
  public var tributaryVersion: String

  public init(
    threads: Int = Parallel.defaultThreads, cacheDirectory: URL? = nil, embeddingBatchSize: Int = 2048,
    tributaryVersion: String = "dev"
  ) {
    self.threads = threads
    self.cacheDirectory = cacheDirectory
    self.embeddingBatchSize = embeddingBatchSize
    self.tributaryVersion = tributaryVersion
  }
}

/// What a run did and how long each part took.
public struct PreprocessSummary: Sendable {
  public var metadata: ProcessedMetadata
  public var rows: Int
  public var cells: Int
  public var encodingSeconds: Double
  public var embeddingSeconds: Double
  public var totalSeconds: Double
}

public struct Preprocessor {
  let databaseDirectory: URL
  let embedder: any TextEmbedder
  let options: PreprocessOptions
  let logger: Logger

  public init(databaseDirectory: URL, embedder: any TextEmbedder, options: PreprocessOptions, logger: Logger)
  {
    self.databaseDirectory = databaseDirectory
    self.embedder = embedder
    self.options = options
    self.logger = logger
  }

  public func run(outputDirectory: URL) async throws -> PreprocessSummary {
    let start = Date()
    let spec = try loadSpec()
    let output = try OutputWriter(destination: outputDirectory)
    do {
      var state = try encode(spec, output: output)
      let encodingSeconds = Date().timeIntervalSince(start)
      let embeddingStart = Date()
      let (columnVectors, vocabularyVectors) = try await embedStrings(&state)
      let embeddingSeconds = Date().timeIntervalSince(embeddingStart)
      let metadata = try write(
        state, columnVectors: columnVectors, vocabularyVectors: vocabularyVectors, to: output)
      try output.commit(metadata)
      let rows = state.descriptions.reduce(0) { $0 + $1.rows }
      let cells = state.descriptions.reduce(0) { $0 + $1.rows * $1.columns.count }
      return PreprocessSummary(
        metadata: metadata, rows: rows, cells: cells, encodingSeconds: encodingSeconds,
        embeddingSeconds: embeddingSeconds, totalSeconds: Date().timeIntervalSince(start))
    } catch {
      output.abandon()
      throw error
    }
  }

  func loadSpec() throws -> DatabaseSpec {
    let spec = try DatabaseSpec.load(contentsOf: databaseDirectory.appendingPathComponent("metadata.json"))
    let issues = spec.validate()
    guard issues.isEmpty else { throw PreprocessError.invalidSpec(issues) }
    return spec
  }

  /// Everything computed before embedding; table files are written by then.
  struct State {
    var spec: DatabaseSpec
    /// Keys and row times of each table.
    var tables: [LoadedTable]
    var descriptions: [ProcessedTable]
    var graph: RowGraph
    var timeScale: TimeScale
    var vocabulary: VocabularyBuilder
    var columnIds: [[Int32]]
    var tasks: [(TaskSpec, TaskExamples)]
  }

  private func encode(_ spec: DatabaseSpec, output: OutputWriter) throws -> State {
    let timeScale = try TimeScan.scale(spec, directory: databaseDirectory, threads: options.threads)
    let pass = TablePass(
      directory: databaseDirectory, threads: options.threads, timeScale: timeScale, output: output)
    var vocabulary = VocabularyBuilder()
    var tables: [LoadedTable] = []
    var descriptions: [ProcessedTable] = []
    var columnIds: [[Int32]] = []
    var nodeOffset: Int64 = 0
    for (index, tableSpec) in spec.tables.enumerated() {
      let started = Date()
      let result = try pass.run(
        tableSpec, index: index, nodeOffset: nodeOffset,
        firstColumnId: Int32(truncatingIfNeeded: columnIds.reduce(0) { $0 + $1.count }),
        vocabulary: &vocabulary)
      let seconds = max(Date().timeIntervalSince(started), 1e-9)
      let (rows, columns) = (result.table.rowCount, result.columnIds.count)
      logger.info(
        "table \(tableSpec.name): \(ProgressReporter.count(rows)) rows x \(columns) columns in \(ProgressReporter.duration(seconds)) (\(ProgressReporter.count(Int(Double(rows * max(columns, 1)) / seconds))) cells/s)"
      )
      tables.append(result.table)
      descriptions.append(result.description)
      columnIds.append(result.columnIds)
      nodeOffset += Int64(rows)
    }
    let graph = try buildGraph(tables)
    let tasks = try materializeTasks(spec, tables: tables, vocabulary: &vocabulary, columnIds: columnIds)
    return State(
      spec: spec, tables: tables, descriptions: descriptions, graph: graph, timeScale: timeScale,
      vocabulary: vocabulary, columnIds: columnIds, tasks: tasks)
  }

  private func buildGraph(_ tables: [LoadedTable]) throws -> RowGraph {
    let started = Date()
    let graph = try GraphAssembly.build(tables, threads: options.threads)
    logger.info(
      "graph: \(ProgressReporter.count(graph.edgeCount)) edges in \(ProgressReporter.duration(Date().timeIntervalSince(started)))"
    )
    for type in graph.edgeTypes where type.dangling > 0 {
      logger.warning(
        "\(tables[type.childTable].spec.name)(\(type.foreignKeyColumns.joined(separator: ", "))) -> \(tables[type.parentTable].spec.name): \(type.dangling) dangling link(s)"
      )
    }
    return graph
  }
}
