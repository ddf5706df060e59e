// The values the store's read side returns: plain Codable structs, so the CLI prints them as tables or
// encodes them as JSON without re-shaping. Keys in JSON are snake_case, like the SQL views.
import Foundation

public struct RunSummaryRow: Codable, Sendable, Equatable {
  public var id: String
  public var name: String
  public var kind: String
  public var status: String
  public var startedAt: String
  public var endedAt: String?
  public var durationSeconds: Double?
  public var steps: Int?
  public var tags: [String]

  enum CodingKeys: String, CodingKey {
    case id, name, kind, status, steps, tags
    case startedAt = "started_at"
    case endedAt = "ended_at"
    case durationSeconds = "duration_s"
  }
}

public struct MetricLatest: Codable, Sendable, Equatable {
  public var metric: String
  public var points: Int
  public var lastStep: Int
  public var lastValue: Double?
  public var minValue: Double?
  public var maxValue: Double?

  enum CodingKeys: String, CodingKey {
    case metric, points
    case lastStep = "last_step"
    case lastValue = "last_value"
    case minValue = "min"
    case maxValue = "max"
  }
}

public struct EvaluationValue: Codable, Sendable, Equatable {
  public var split: String
  public var step: Int?
  public var metric: String
  public var value: Double?
}

public struct RunDetails: Codable, Sendable, Equatable {
  public var run: RunSummaryRow
  public var host: String
  public var pid: Int
  public var toolVersion: String
  public var gitCommit: String?
  public var config: JSONValue
  public var databases: [String]
  public var tasks: [String]
  public var hardware: JSONValue
  public var checkpoint: String?
  public var outputs: [String]
  public var failure: String?
  public var finalMetrics: [String: Double?]
  public var metrics: [MetricLatest]
  public var evaluations: [EvaluationValue]

  enum CodingKeys: String, CodingKey {
    case run, host, pid, config, databases, tasks, hardware, checkpoint, outputs, failure, metrics,
      evaluations
    case toolVersion = "tool_version"
    case gitCommit = "git_commit"
    case finalMetrics = "final_metrics"
  }
}

public struct BestRun: Codable, Sendable, Equatable {
  public var rank: Int
  public var id: String
  public var name: String
  public var value: Double
  public var tasks: [String]
  public var startedAt: String

  enum CodingKeys: String, CodingKey {
    case rank, id, name, value, tasks
    case startedAt = "started_at"
  }
}

public struct StoreSummary: Codable, Sendable, Equatable {
  public var path: String
  public var runs: Int
  public var byStatus: [String: Int]
  public var byKind: [String: Int]
  public var stepMetricRows: Int
  public var evaluationRows: Int
  public var firstStart: String?
  public var lastStart: String?
  public var tags: [String: Int]
  public var metricNames: [String]
  public var models: Int
  public var databases: Int

  enum CodingKeys: String, CodingKey {
    case path, runs, tags, models, databases
    case byStatus = "by_status"
    case byKind = "by_kind"
    case stepMetricRows = "step_metric_rows"
    case evaluationRows = "evaluation_rows"
    case firstStart = "first_start"
    case lastStart = "last_start"
    case metricNames = "metric_names"
  }
}

public struct RunComparison: Codable, Sendable, Equatable {
  public struct Line: Codable, Sendable, Equatable {
    public var key: String
    public var values: [String?]
    public var differs: Bool
  }
  public var runs: [RunSummaryRow]
  public var config: [Line]
  public var finalMetrics: [Line]

  enum CodingKeys: String, CodingKey {
    case runs, config
    case finalMetrics = "final_metrics"
  }
}

/// One run's curve of a metric over steps, for plots.
public struct MetricSeries: Sendable, Equatable {
  public var runID: String
  public var runName: String
  public var points: [(step: Double, value: Double)]

  public static func == (lhs: MetricSeries, rhs: MetricSeries) -> Bool {
    lhs.runID == rhs.runID && lhs.runName == rhs.runName && lhs.points.elementsEqual(rhs.points) { $0 == $1 }
  }
}
