// What a client asks for: a job's kind and input, validated at the edge before anything is queued. Each kind's
// input is its own struct; `predict` is described here so the API accepts and validates it, and runs as soon as
// an executor for it is registered.
// Refuses: unknown fields' values of the wrong type, empty or oversized inputs, relative paths, unknown kinds.
import Foundation

/// The kinds of work the service runs; each is run by one `ChunkExecutor`.
public enum JobKind: String, Codable, Sendable, CaseIterable {
  case embed
  case predict
}

/// `embed`: either a Parquet file and the name of its text column, or inline texts.
public struct EmbedInput: Codable, Sendable, Equatable {
  public var parquet: String?
  public var textColumn: String?
  public var texts: [String]?
  /// `minilm` (default) or `hashing` (fast, for tests).
  public var embedder: String?

  public init(
    parquet: String? = nil, textColumn: String? = nil, texts: [String]? = nil, embedder: String? = nil
  ) {
    self.parquet = parquet
    self.textColumn = textColumn
    self.texts = texts
    self.embedder = embedder
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case parquet
    case textColumn = "text_column"
    case texts, embedder
  }
}

/// `predict`: a checkpoint, a processed database and a task; the task's examples of one split, or explicit seeds
/// (inline `seeds`, or a Parquet file `seeds_path`) predicted as the task would predict them.
public struct PredictInput: Codable, Sendable, Equatable {
  public var checkpoint: String
  public var database: String
  public var task: String?
  public var split: String?
  /// Rows of the task's seed table to predict, each named by key or row number, with a time for entity tasks.
  public var seeds: [SeedInput]?
  /// A Parquet file of seeds: the key columns (named as in the output) or `seed_row`, and optionally `time`.
  public var seedsPath: String?
  /// ISO-8601 time for the seeds that give none (entity tasks).
  public var time: String?
  /// Sampled contexts averaged per example (default 1).
  public var samples: Int?
  /// The seeds file's size and modification time at submission, set by the service: chunks refuse a file that
  /// changed since (their items would be other seeds); a client's value is replaced.
  public var seedsStamp: String?
  /// Contexts per forward pass. Categorical predictions rank the batch's candidates, so it is part of the result:
  /// fixed at submission (the service's default when absent) so every worker runs the job's chunks alike.
  public var batchSize: Int?

  public init(
    checkpoint: String, database: String, task: String? = nil, split: String? = nil,
    seeds: [SeedInput]? = nil,
    seedsPath: String? = nil, time: String? = nil, samples: Int? = nil, batchSize: Int? = nil
  ) {
    self.checkpoint = checkpoint
    self.database = database
    self.task = task
    self.split = split
    self.seeds = seeds
    self.seedsPath = seedsPath
    self.time = time
    self.samples = samples
    self.batchSize = batchSize
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case checkpoint, database, task, split, seeds, time, samples
    case seedsPath = "seeds_path"
    case seedsStamp = "seeds_stamp"
    case batchSize = "batch_size"
  }
}

/// One explicit seed: `key` (the seed table's primary key value, or an array of values for a composite key) or
/// `row` (the row's position in its Parquet file), and `time` (ISO-8601) for entity tasks.
public struct SeedInput: Codable, Sendable, Equatable {
  public var key: [KeyPart]?
  public var row: Int?
  public var time: String?

  public init(key: [KeyPart]? = nil, row: Int? = nil, time: String? = nil) {
    self.key = key
    self.row = row
    self.time = time
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case key, row, time }

  /// `key` is a scalar or an array of scalars.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    row = try container.decodeIfPresent(Int.self, forKey: .row)
    time = try container.decodeIfPresent(String.self, forKey: .time)
    if let single = try? container.decodeIfPresent(KeyPart.self, forKey: .key) {
      key = [single]
    } else {
      key = try container.decodeIfPresent([KeyPart].self, forKey: .key)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(row, forKey: .row)
    try container.encodeIfPresent(time, forKey: .time)
    if let key, key.count == 1 {
      try container.encode(key[0], forKey: .key)
    } else {
      try container.encodeIfPresent(key, forKey: .key)
    }
  }
}

/// A key value as JSON gives it: an integer or a string.
public enum KeyPart: Codable, Sendable, Hashable {
  case int(Int64)
  case string(String)

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let value = try? container.decode(Int64.self) {
      self = .int(value)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .int(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    }
  }
}

/// A job as submitted (`POST /v1/jobs`).
public struct JobSpec: Codable, Sendable, Equatable {
  public var kind: JobKind
  public var embed: EmbedInput?
  public var predict: PredictInput?
  /// Seconds from submission within which the job should finish.
  public var slaSeconds: Double?
  /// Higher runs first (default 0).
  public var priority: Int?
  /// Where the result Parquet goes (absolute); default: the data directory's `results/`.
  public var output: String?
  /// Items per chunk (default 256).
  public var chunkSize: Int?
  /// Model cells per item (predict: the context length), set by the service at submission (ChunkExecutor.resolve)
  /// for the `cells/s` figure; a client's value is replaced.
  public var cellsPerItem: Int?
  /// Mean tokens per item (embed: the embedder's tokens per text, over a sample of the texts), set by the service
  /// at submission for the `tokens/s` figure; a client's value is replaced.
  public var tokensPerItem: Double?

  public init(
    kind: JobKind, embed: EmbedInput? = nil, predict: PredictInput? = nil, slaSeconds: Double? = nil,
    priority: Int? = nil, output: String? = nil, chunkSize: Int? = nil
  ) {
    self.kind = kind
    self.embed = embed
    self.predict = predict
    self.slaSeconds = slaSeconds
    self.priority = priority
    self.output = output
    self.chunkSize = chunkSize
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case kind, embed, predict, priority, output
    case slaSeconds = "sla_seconds"
    case chunkSize = "chunk_size"
    case cellsPerItem = "cells_per_item"
    case tokensPerItem = "tokens_per_item"
  }
}

/// A submitted job refused before it is queued: `field` is the JSON path of the offending value.
public struct JobSpecError: Error, Sendable, Equatable, CustomStringConvertible {
  public var field: String
  public var message: String

  public init(field: String, _ message: String) {
    self.field = field
    self.message = message
  }

  public var description: String { "\(field): \(message)" }
}

extension JobSpec {
  public static let maxChunkSize = 65_536
  public static let maxPriority = 100

  /// Checks the fields every kind shares; each executor checks its own input.
  public func validateCommon() throws(JobSpecError) {
    if let sla = slaSeconds, !(sla > 0 && sla.isFinite) {
      throw JobSpecError(field: "sla_seconds", "must be a positive number of seconds, got \(sla)")
    }
    if let priority, abs(priority) > Self.maxPriority {
      throw JobSpecError(field: "priority", "must be within -\(Self.maxPriority)...\(Self.maxPriority)")
    }
    if let chunkSize, !(1...Self.maxChunkSize).contains(chunkSize) {
      throw JobSpecError(field: "chunk_size", "must be within 1...\(Self.maxChunkSize), got \(chunkSize)")
    }
    if let output {
      guard output.hasPrefix("/") else { throw JobSpecError(field: "output", "must be an absolute path") }
      guard output.hasSuffix(".parquet") else { throw JobSpecError(field: "output", "must end in .parquet") }
      guard !output.split(separator: "/").contains("..") else {
        throw JobSpecError(field: "output", "must not contain '..' components")
      }
    }
  }
}
