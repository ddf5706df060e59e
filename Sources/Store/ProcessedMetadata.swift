// `OUT_DIR/metadata.json` of a processed database: what was encoded and how, with every statistic needed to
// decode values back (z-score means and scales, the database-wide time scale) and to report on the data. It is
// written last, so a directory without it is not a processed database.
import DatabaseSpec

public struct ProcessedMetadata: Codable, Sendable {
  /// 2: timestamp columns no longer store their cyclic features (`c<k>.cyclic`); the sampler computes them.
  public static let currentFormatVersion = 2
  /// Versions this build reads: version 1's extra `c<k>.cyclic` sections are ignored.
  public static let readableFormatVersions = 1...2

  public var formatVersion: Int
  public var name: String
  public var source: String
  public var tributaryVersion: String
  public var embedder: EmbedderInfo
  public var time: TimeScale
  public var tables: [ProcessedTable]
  public var vocabularySize: Int
  public var columnCount: Int
  public var graph: GraphSummary
  public var tasks: [ProcessedTask]

  public init(
    formatVersion: Int, name: String, source: String, tributaryVersion: String, embedder: EmbedderInfo,
    time: TimeScale, tables: [ProcessedTable], vocabularySize: Int, columnCount: Int, graph: GraphSummary,
    tasks: [ProcessedTask]
  ) {
    self.formatVersion = formatVersion
    self.name = name
    self.source = source
    self.tributaryVersion = tributaryVersion
    self.embedder = embedder
    self.time = time
    self.tables = tables
    self.vocabularySize = vocabularySize
    self.columnCount = columnCount
    self.graph = graph
    self.tasks = tasks
  }

  enum CodingKeys: String, CodingKey {
    case name, source, embedder, time, tables, graph, tasks
    case formatVersion = "format_version"
    case tributaryVersion = "tributary_version"
    case vocabularySize = "vocabulary_size"
    case columnCount = "column_count"
  }
}

public struct EmbedderInfo: Codable, Sendable, Equatable {
  public var name: String
  public var dimension: Int

  public init(name: String, dimension: Int) {
    self.name = name
    self.dimension = dimension
  }

}

/// One mean and scale over every timestamp cell of the database, in µs since the epoch.
public struct TimeScale: Codable, Sendable, Equatable {
  public var meanMicros: Double
  public var scaleMicros: Double
  public var minMicros: Int64?
  public var maxMicros: Int64?
  public var count: Int

  public init(
    meanMicros: Double, scaleMicros: Double, minMicros: Int64? = nil, maxMicros: Int64? = nil, count: Int
  ) {
    self.meanMicros = meanMicros
    self.scaleMicros = scaleMicros
    self.minMicros = minMicros
    self.maxMicros = maxMicros
    self.count = count
  }

  enum CodingKeys: String, CodingKey {
    case count
    case meanMicros = "mean_us"
    case scaleMicros = "scale_us"
    case minMicros = "min_us"
    case maxMicros = "max_us"
  }
}

public struct ProcessedTable: Codable, Sendable {
  public var name: String
  public var file: String
  public var rows: Int
  public var nodeOffset: Int64
  public var primaryKey: [String]?
  public var timeColumn: String?
  public var columns: [ProcessedColumn]

  public init(
    name: String, file: String, rows: Int, nodeOffset: Int64, primaryKey: [String]? = nil,
    timeColumn: String? = nil, columns: [ProcessedColumn]
  ) {
    self.name = name
    self.file = file
    self.rows = rows
    self.nodeOffset = nodeOffset
    self.primaryKey = primaryKey
    self.timeColumn = timeColumn
    self.columns = columns
  }

  enum CodingKeys: String, CodingKey {
    case name, file, rows, columns
    case nodeOffset = "node_offset"
    case primaryKey = "primary_key"
    case timeColumn = "time_column"
  }
}

public struct ProcessedColumn: Codable, Sendable {
  public var name: String
  public var type: SemanticType
  /// Index into column_embeddings.bin.
  public var globalId: Int
  /// Section prefix in the table file (`c<k>`).
  public var section: String
  public var signal: Bool
  public var nullCount: Int
  /// Numerical columns: the z-score statistics (non-finite values are stored as null).
  public var statistics: ColumnStatistics?
  /// Categorical and text columns: distinct values seen.
  public var distinctValues: Int?

  public init(
    name: String, type: SemanticType, globalId: Int, section: String, signal: Bool, nullCount: Int,
    statistics: ColumnStatistics? = nil, distinctValues: Int? = nil
  ) {
    self.name = name
    self.type = type
    self.globalId = globalId
    self.section = section
    self.signal = signal
    self.nullCount = nullCount
    self.statistics = statistics
    self.distinctValues = distinctValues
  }

  enum CodingKeys: String, CodingKey {
    case name, type, section, signal, statistics
    case globalId = "global_id"
    case nullCount = "null_count"
    case distinctValues = "distinct_values"
  }
}

/// One foreign key resolved into edges: child rows of `childTable` point at rows of `parentTable`.
public struct EdgeType: Codable, Sendable, Equatable {
  public var childTable: Int
  public var foreignKeyColumns: [String]
  public var parentTable: Int
  public var edges: Int = 0
  public var dangling: Int = 0
  public var nullKeys: Int = 0

  public init(
    childTable: Int, foreignKeyColumns: [String], parentTable: Int, edges: Int = 0, dangling: Int = 0,
    nullKeys: Int = 0
  ) {
    self.childTable = childTable
    self.foreignKeyColumns = foreignKeyColumns
    self.parentTable = parentTable
    self.edges = edges
    self.dangling = dangling
    self.nullKeys = nullKeys
  }

  enum CodingKeys: String, CodingKey {
    case edges, dangling
    case childTable = "child_table"
    case foreignKeyColumns = "foreign_key_columns"
    case parentTable = "parent_table"
    case nullKeys = "null_keys"
  }
}

public struct GraphSummary: Codable, Sendable {
  public var nodes: Int
  public var edges: Int
  public var edgeTypes: [EdgeType]

  public init(nodes: Int, edges: Int, edgeTypes: [EdgeType]) {
    self.nodes = nodes
    self.edges = edges
    self.edgeTypes = edgeTypes
  }

  enum CodingKeys: String, CodingKey {
    case nodes, edges
    case edgeTypes = "edge_types"
  }
}

public struct ProcessedTask: Codable, Sendable {
  public var name: String
  public var file: String
  public var form: String
  /// The table whose rows are the seeds (cell task: its table; entity task: the entity table).
  public var seedTable: String
  public var target: String
  public var targetType: SemanticType
  public var hiddenColumns: [String]
  public var horizonDays: Double?
  public var examples: Int
  public var splitCounts: [String: Int]
  public var danglingEntities: Int
  public var droppedNullLabels: Int
  /// Numerical targets: train-split statistics used to z-score labels (predictions are mapped back with them).
  public var labelStatistics: ColumnStatistics?
  /// Boolean targets: fraction of positive labels per split.
  public var positiveRate: [String: Double]?

  public init(
    name: String, file: String, form: String, seedTable: String, target: String, targetType: SemanticType,
    hiddenColumns: [String], horizonDays: Double? = nil, examples: Int, splitCounts: [String: Int],
    danglingEntities: Int, droppedNullLabels: Int, labelStatistics: ColumnStatistics? = nil,
    positiveRate: [String: Double]? = nil
  ) {
    self.name = name
    self.file = file
    self.form = form
    self.seedTable = seedTable
    self.target = target
    self.targetType = targetType
    self.hiddenColumns = hiddenColumns
    self.horizonDays = horizonDays
    self.examples = examples
    self.splitCounts = splitCounts
    self.danglingEntities = danglingEntities
    self.droppedNullLabels = droppedNullLabels
    self.labelStatistics = labelStatistics
    self.positiveRate = positiveRate
  }

  enum CodingKeys: String, CodingKey {
    case name, file, form, target, examples
    case seedTable = "seed_table"
    case targetType = "target_type"
    case hiddenColumns = "hidden_columns"
    case horizonDays = "horizon_days"
    case splitCounts = "split_counts"
    case danglingEntities = "dangling_entities"
    case droppedNullLabels = "dropped_null_labels"
    case labelStatistics = "label_statistics"
    case positiveRate = "positive_rate"
  }
}
