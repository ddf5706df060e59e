// The second half of a preprocessing run: tasks, embeddings, and the files with their metadata.
import DatabaseSpec
import Foundation
import Runtime
import Store
import TextEmbedding

extension Preprocessor {
  func materializeTasks(
    _ spec: DatabaseSpec, tables: [LoadedTable], vocabulary: inout VocabularyBuilder, columnIds: [[Int32]]
  ) throws -> [(TaskSpec, TaskExamples)] {
    var out: [(TaskSpec, TaskExamples)] = []
    for task in spec.tasks {
      let examples: TaskExamples
      switch task.form {
      case .cell(let tableName):
        guard let table = tables.first(where: { $0.spec.name == tableName }) else { continue }
        let encoded = table.spec.columns.filter { $0.type != .ignored }.map(\.name)
        let ids = Dictionary(uniqueKeysWithValues: zip(encoded, columnIds[table.index]))
        examples = try TaskMaterializer.cellTask(
          task, table: table, directory: databaseDirectory, vocabulary: &vocabulary, columnIds: ids)
      case .entity(let file, let entityTable, let entityColumns, let timeColumn, let type, _):
        guard let table = tables.first(where: { $0.spec.name == entityTable }),
          let index = try GraphAssembly.primaryKeyIndex(table)
        else {
          throw PreprocessError.taskProblem(
            task: task.name, reason: "entity table '\(entityTable)' has no key")
        }
        examples = try TaskMaterializer.entityTask(
          task, file: databaseDirectory.appendingPathComponent(file).path, entityColumns: entityColumns,
          timeColumn: timeColumn, type: type, entityTable: table, index: index, vocabulary: &vocabulary)
      }
      if examples.dangling > 0 {
        logger.warning(
          "task \(task.name): \(examples.dangling) example(s) name an entity with no row (dropped)")
      }
      logger.info("task \(task.name): \(ProgressReporter.count(examples.seedRows.count)) examples")
      out.append((task, examples))
    }
    return out
  }

  func embedStrings(_ state: inout State) async throws -> (columns: [Float16], vocabulary: [Float16]) {
    let cache = try options.cacheDirectory.map {
      try EmbeddingCache(directory: $0, embedderName: embedder.name, dimension: embedder.dimension)
    }
    let embedding = VocabularyEmbedding(
      embedder: embedder, cache: cache, batchSize: options.embeddingBatchSize, logger: logger)
    let columnTexts = state.descriptions.flatMap { table in
      table.columns.map { "\($0.name) of \(table.name)" }
    }
    let columns = try await embedding.embed(columnTexts, what: "column names")
    let vocabulary = try await embedding.embed(state.vocabulary.entries.map(\.text), what: "vocabulary")
    return (columns, vocabulary)
  }

  func write(_ state: State, columnVectors: [Float16], vocabularyVectors: [Float16], to output: OutputWriter)
    throws
    -> ProcessedMetadata
  {
    try output.writeGraph(state.graph)
    try output.writeEmbeddings(
      "column_embeddings.bin", vectors: columnVectors, dimension: embedder.dimension, values: nil)
    try output.writeEmbeddings(
      "vocab_embeddings.bin", vectors: vocabularyVectors, dimension: embedder.dimension,
      values: state.vocabulary.entries)
    var tasks: [ProcessedTask] = []
    for (task, examples) in state.tasks {
      let (labels, described) = Self.describe(task, examples, spec: state.spec)
      var processed = described
      processed.file = try output.writeTask(task.name, examples, labels: labels)
      tasks.append(processed)
    }
    return ProcessedMetadata(
      formatVersion: ProcessedMetadata.currentFormatVersion, name: state.spec.name,
      source: databaseDirectory.path,
      tributaryVersion: options.tributaryVersion,
      embedder: EmbedderInfo(name: embedder.name, dimension: embedder.dimension), time: state.timeScale,
      tables: state.descriptions, vocabularySize: state.vocabulary.count,
      columnCount: state.columnIds.reduce(0) { $0 + $1.count },
      graph: GraphSummary(
        nodes: state.graph.nodeCount, edges: state.graph.edgeCount, edgeTypes: state.graph.edgeTypes),
      tasks: tasks)
  }

  /// Labels as stored (z-scored with train statistics for numbers and times) and the task's metadata.
  static func describe(_ task: TaskSpec, _ examples: TaskExamples, spec: DatabaseSpec) -> (
    [Float], ProcessedTask
  ) {
    let (form, seedTable, type, horizon): (String, String, SemanticType, Double?) =
      switch task.form {
      case .cell(let table):
        ("cell", table, spec.table(named: table)?.semanticType(of: task.target) ?? .ignored, nil)
      case .entity(_, let table, _, _, let type, let horizon): ("entity", table, type, horizon)
      }
    var counts: [String: Int] = [:]
    for split in Split.allCases {
      counts[split.rawValue] = examples.splits.filter { $0 == TaskExamples.code(split) }.count
    }
    var processed = ProcessedTask(
      name: task.name, file: "", form: form, seedTable: seedTable, target: task.target, targetType: type,
      hiddenColumns: form == "cell" ? [task.target] + task.hide : task.hide, horizonDays: horizon,
      examples: examples.seedRows.count, splitCounts: counts, danglingEntities: examples.dangling,
      droppedNullLabels: examples.droppedNullLabels, labelStatistics: nil, positiveRate: nil)
    var labels = examples.rawLabels.map { Float($0) }
    switch type {
    case .numerical, .timestamp:
      var statistics = ColumnStatistics()
      for (label, split) in zip(examples.rawLabels, examples.splits) where split == 0 {
        statistics.add(label)
      }
      labels = examples.rawLabels.map { Float(statistics.zScore($0)) }
      processed.labelStatistics = statistics
    case .boolean:
      var rates: [String: Double] = [:]
      for split in Split.allCases {
        let values = zip(examples.rawLabels, examples.splits).filter { $0.1 == TaskExamples.code(split) }.map(
          \.0)
        if !values.isEmpty { rates[split.rawValue] = values.reduce(0, +) / Double(values.count) }
      }
      processed.positiveRate = rates
    default:
      break
    }
    return (labels, processed)
  }
}
