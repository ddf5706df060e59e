// The explicit seeds of a `predict` job (inline `seeds`, or the Parquet file `seeds_path`) resolved to rows and
// times of the task's seed table, in order: a seed is named by its primary key (SeedKeyIndex) or its row number;
// an entity task predicts at the seed's `time`, else the input's `time`; a cell task predicts a row as of its own
// time, so a seed's time must be the row's (the sampler checks) and `predict.time` is refused. Errors name the JSON field and the seed's position (`predict.seeds[3].key`)
// or the file's row.
// Refuses: both `seeds` and `seeds_path`, either with `split`, more than 100,000 inline seeds, an empty list, a
// seed with both or neither of key and row, unknown keys, rows outside the table, times that are not ISO-8601.
import DatabaseSpec
import Foundation
import JobQueue
import Parquet
import Sampler
import Training

enum SeedResolver {
  static let maxInlineSeeds = 100_000
  /// Seed times outside the years 0001-9999 are refused (a file's garbage, or µs read as ns).
  static let minimumTime = ISO8601Micros.parse("0001-01-01") ?? 0
  static let maximumTime = ISO8601Micros.parse("9999-12-31T23:59:59.999999") ?? 0

  /// Whether the input asks for explicit seeds, after checking what needs no loaded data.
  static func checkShape(_ input: PredictInput) throws(JobSpecError) -> Bool {
    if input.seeds != nil && input.seedsPath != nil {
      throw JobSpecError(field: "predict.seeds_path", "give seeds or seeds_path, not both")
    }
    let explicit = input.seeds != nil || input.seedsPath != nil
    if explicit && input.split != nil {
      throw JobSpecError(field: "predict.split", "is for the task's examples; explicit seeds have no split")
    }
    if !explicit && input.time != nil {
      throw JobSpecError(
        field: "predict.time", "is the time of explicit seeds; the task's examples have theirs")
    }
    if let time = input.time, ISO8601Micros.parse(time) == nil {
      throw JobSpecError(field: "predict.time", "is not an ISO-8601 date or time: '\(time)'")
    }
    if let path = input.seedsPath {
      guard path.hasPrefix("/") else {
        throw JobSpecError(field: "predict.seeds_path", "must be an absolute path")
      }
    }
    if let seeds = input.seeds {
      guard (1...maxInlineSeeds).contains(seeds.count) else {
        throw JobSpecError(
          field: "predict.seeds", "must hold 1...\(maxInlineSeeds) seeds, got \(seeds.count)")
      }
      for (index, seed) in seeds.enumerated() {
        guard (seed.key == nil) != (seed.row == nil) else {
          throw JobSpecError(field: "predict.seeds[\(index)]", "needs exactly one of key and row")
        }
        if let time = seed.time, ISO8601Micros.parse(time) == nil {
          throw JobSpecError(
            field: "predict.seeds[\(index)].time", "is not an ISO-8601 date or time: '\(time)'")
        }
      }
    }
    return explicit
  }

  /// The seeds of `input` as rows and times of `loaded`'s seed table.
  static func resolve(_ input: PredictInput, loaded: LoadedPrediction) throws(JobSpecError) -> [ExplicitSeed]
  {
    let defaultTime = input.time.flatMap(ISO8601Micros.parse)
    if !loaded.isEntityTask && defaultTime != nil {
      throw JobSpecError(
        field: "predict.time", "task '\(loaded.task)' predicts a row as of its own time: leave the time out")
    }
    if let path = input.seedsPath {
      return try loaded.seedFile(path: path, defaultTime: defaultTime) { () throws(JobSpecError) in
        try fromFile(path, loaded: loaded, defaultTime: defaultTime)
      }
    }
    var result: [ExplicitSeed] = []
    for (index, seed) in (input.seeds ?? []).enumerated() {
      let field = "predict.seeds[\(index)]"
      let row: Int
      if let key = seed.key {
        row = try lookUp(key, field: field + ".key", loaded: loaded)
      } else {
        row = seed.row ?? -1
      }
      let time = seed.time.flatMap(ISO8601Micros.parse) ?? defaultTime
      result.append(try checked(row: row, time: time, field: field, loaded: loaded))
    }
    return result
  }

  /// The number of seeds, after building their contexts' sampler once (kept for the job's chunks), so that a seed
  /// the sampler refuses is reported at submission, by position.
  static func plan(_ input: PredictInput, loaded: LoadedPrediction, batchSize: Int) throws(JobSpecError)
    -> Int
  {
    let seeds = try resolve(input, loaded: loaded)
    do {
      let setup = try loaded.setup(seeds: seeds, batchSize: batchSize)
      guard setup.hasCandidates else {
        throw JobSpecError(
          field: "predict.task", "'\(loaded.task)' has no train classes to rank explicit seeds against")
      }
    } catch let error as JobSpecError {
      throw error
    } catch SamplerError.invalidSeed(let index, let reason) {
      throw input.seedsPath == nil
        ? JobSpecError(field: "predict.seeds[\(index)]", reason)
        : JobSpecError(field: "predict.seeds_path", "row \(index): \(reason)")
    } catch {
      throw JobSpecError(field: input.seedsPath == nil ? "predict.seeds" : "predict.seeds_path", "\(error)")
    }
    return seeds.count
  }

  private static func lookUp(_ key: [KeyPart], field: String, loaded: LoadedPrediction) throws(JobSpecError)
    -> Int
  {
    let index = try loaded.keyIndex()
    guard key.count == index.names.count else {
      throw JobSpecError(
        field: field,
        "the key is \(index.names.joined(separator: ", ")): \(index.names.count) values, got \(key.count)")
    }
    guard let row = index.row(of: key) else {
      throw JobSpecError(field: field, "no row of table '\(loaded.seedTable)' has key \(render(key))")
    }
    return row
  }

  /// A row within the table and a time as the task's form wants it.
  static func checked(row: Int, time: Int64?, field: String, loaded: LoadedPrediction) throws(JobSpecError)
    -> ExplicitSeed
  {
    guard row >= 0, row < loaded.keys.rows else {
      throw JobSpecError(
        field: field, "row \(row) is outside table '\(loaded.seedTable)' (\(loaded.keys.rows) rows)")
    }
    if let time, !(minimumTime...maximumTime).contains(time) {
      throw JobSpecError(
        field: field + ".time", "\(ISO8601Micros.format(time)) is outside the years 0001-9999")
    }
    guard time != nil || !loaded.isEntityTask else {
      throw JobSpecError(
        field: field + ".time",
        "task '\(loaded.task)' predicts at a time: give the seed's time or predict.time")
    }
    // A cell task's seed may repeat its row's own time (the sampler checks it: SamplerError.invalidSeed).
    return ExplicitSeed(row: row, time: time)
  }

  static func render(_ key: [KeyPart]) -> String {
    let parts = key.map { value -> String in
      switch value {
      case .int(let number): "\(number)"
      case .string(let text): "'\(text)'"
      }
    }
    return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: ", ") + ")"
  }
}

extension LoadedPrediction {
  /// Predictions for the explicit seeds of `input` (`tributary predict --seeds/--key`), on the calling thread.
  public func predict(explicit input: PredictInput, batchSize: Int, threads: Int) throws -> TaskPredictions {
    guard try SeedResolver.checkShape(input) else {
      throw JobSpecError(field: "predict.seeds", "no explicit seeds given")
    }
    let seeds = try SeedResolver.resolve(input, loaded: self)
    return try PredictExecutor.predict(
      seeds: seeds, items: 0..<seeds.count, loaded: self, batchSize: batchSize, threads: threads,
      samples: input.samples ?? 1)
  }
}
