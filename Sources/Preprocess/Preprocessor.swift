// Preprocessing end to end: metadata.json + Parquet files -> a processed database (docs/format.md).
// Order: validate the description; read and encode every table; resolve keys into the graph; scale time over the
// whole database; merge vocabularies; materialize tasks; embed what the cache lacks; write, then swap into place.
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
  public var embeddingBatchSize: Int
  public var tributaryVersion: String

  public init(
    threads: Int = Parallel.defaultThreads, cacheDirectory: URL? = nil, embeddingBatchSize: Int = 256,
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
      var state = try encode(spec)
      let encodingSeconds = Date().timeIntervalSince(start)
      let embeddingStart = Date()
      let (columnVectors, vocabularyVectors) = try await embedStrings(&state)
      let embeddingSeconds = Date().timeIntervalSince(embeddingStart)
      let metadata = try write(
        state, columnVectors: columnVectors, vocabularyVectors: vocabularyVectors, to: output)
      try output.commit(metadata)
      let rows = state.tables.reduce(0) { $0 + $1.rowCount }
      let cells = state.tables.reduce(0) { $0 + $1.rowCount * $1.columns.count }
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

  /// Everything computed before embedding.
  struct State {
    var spec: DatabaseSpec
    var tables: [LoadedTable]
    var graph: RowGraph
    var timeScale: TimeScale
    var vocabulary: VocabularyBuilder
    /// Per table, per encoded column: global vocabulary ids (value columns only).
    var vocabularyIds: [[[Int32]?]]
    var columnIds: [[Int32]]
    var tasks: [(TaskSpec, TaskExamples)]
  }

  private func encode(_ spec: DatabaseSpec) throws -> State {
    var tables: [LoadedTable] = []
    for (index, tableSpec) in spec.tables.enumerated() {
      let started = Date()
      let table = try TableLoader.load(
        tableSpec, index: index, directory: databaseDirectory, threads: options.threads)
      let seconds = max(Date().timeIntervalSince(started), 1e-9)
      logger.info(
        "table \(tableSpec.name): \(ProgressReporter.count(table.rowCount)) rows x \(table.columns.count) columns in \(ProgressReporter.duration(seconds)) (\(ProgressReporter.count(Int(Double(table.rowCount * max(table.columns.count, 1)) / seconds))) cells/s)"
      )
      tables.append(table)
    }
    let graph = try GraphAssembly.build(tables)
    for type in graph.edgeTypes where type.dangling > 0 {
      logger.warning(
        "\(tables[type.childTable].spec.name)(\(type.foreignKeyColumns.joined(separator: ", "))) -> \(tables[type.parentTable].spec.name): \(type.dangling) dangling link(s)"
      )
    }
    var (vocabulary, vocabularyIds, columnIds) = Self.mergeVocabularies(tables)
    let tasks = try materializeTasks(spec, tables: tables, vocabulary: &vocabulary, columnIds: columnIds)
    return State(
      spec: spec, tables: tables, graph: graph, timeScale: Self.timeScale(tables), vocabulary: vocabulary,
      vocabularyIds: vocabularyIds, columnIds: columnIds, tasks: tasks)
  }

  /// One mean and scale over every valid timestamp cell of every table.
  static func timeScale(_ tables: [LoadedTable]) -> TimeScale {
    var statistics = ColumnStatistics()
    var minimum = Int64.max
    var maximum = Int64.min
    for table in tables {
      for column in table.columns {
        guard case .timestamps(let micros, _) = column.payload else { continue }
        for row in micros.indices where ColumnEncoder.isValid(column.validity, row) {
          statistics.add(Double(micros[row]))
          minimum = min(minimum, micros[row])
          maximum = max(maximum, micros[row])
        }
      }
    }
    return TimeScale(
      meanMicros: statistics.mean, scaleMicros: statistics.scale,
      minMicros: statistics.count > 0 ? minimum : nil,
      maxMicros: statistics.count > 0 ? maximum : nil, count: statistics.count)
  }

  /// Global column ids (tables, then encoded columns, in metadata order) and the shared vocabulary.
  static func mergeVocabularies(_ tables: [LoadedTable]) -> (VocabularyBuilder, [[[Int32]?]], [[Int32]]) {
    var vocabulary = VocabularyBuilder()
    var ids: [[[Int32]?]] = []
    var columnIds: [[Int32]] = []
    var next: Int32 = 0
    for table in tables {
      var tableIds: [[Int32]?] = []
      var tableColumnIds: [Int32] = []
      for column in table.columns {
        tableColumnIds.append(next)
        guard case .values(let localIds, let values) = column.payload else {
          tableIds.append(nil)
          next += 1
          continue
        }
        let kind: VocabularyBuilder.EmbeddedKind = column.spec.type == .text ? .text : .categorical
        let global = values.map {
          vocabulary.id(value: $0, columnName: column.spec.name, type: kind, column: next)
        }
        tableIds.append(localIds.map { $0 < 0 ? -1 : global[Int($0)] })
        next += 1
      }
      ids.append(tableIds)
      columnIds.append(tableColumnIds)
    }
    return (vocabulary, ids, columnIds)
  }
}
