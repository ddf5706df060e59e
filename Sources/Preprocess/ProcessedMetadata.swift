// `OUT_DIR/metadata.json` of a processed database: what was encoded and how, with every statistic needed to
// decode values back (z-score means and scales, the database-wide time scale) and to report on the data. It is
// written last, so a directory without it is not a processed database.
import DatabaseSpec

public struct ProcessedMetadata: Codable, Sendable {
  public static let currentFormatVersion = 1

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
}

/// One mean and scale over every timestamp cell of the database, in µs since the epoch.
public struct TimeScale: Codable, Sendable, Equatable {
  public var meanMicros: Double
  public var scaleMicros: Double
  public var minMicros: Int64?
  public var maxMicros: Int64?
  public var count: Int

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

  enum CodingKeys: String, CodingKey {
    case name, type, section, signal, statistics
    case globalId = "global_id"
    case nullCount = "null_count"
    case distinctValues = "distinct_values"
  }
}

public struct GraphSummary: Codable, Sendable {
  public var nodes: Int
  public var edges: Int
  public var edgeTypes: [EdgeType]

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
