// Codable conformances of tasks and splits. A task with `file` is an entity task, otherwise a cell task; keys of
// the other form are errors rather than silently ignored.
import Foundation

extension TaskSpec: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, description, table, target, hide, split, file, type
    case entityTable = "entity_table"
    case entityColumns = "entity_columns"
    case timeColumn = "time_column"
    case horizonDays = "horizon_days"
  }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    description = try c.decodeIfPresent(String.self, forKey: .description)
    target = try c.decode(String.self, forKey: .target)
    hide = try c.decodeIfPresent([String].self, forKey: .hide) ?? []
    split = try c.decode(SplitSpec.self, forKey: .split)
    form = try c.contains(.file) ? Self.decodeEntityForm(c) : Self.decodeCellForm(c)
  }

  private static func decodeCellForm(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Form {
    for key in [CodingKeys.entityTable, .entityColumns, .timeColumn, .type, .horizonDays]
    where c.contains(key) {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: c,
        debugDescription:
          "'\(key.stringValue)' belongs to entity tasks, which need 'file'; a cell task has 'table'")
    }
    return .cell(table: try c.decode(String.self, forKey: .table))
  }

  private static func decodeEntityForm(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Form {
    if c.contains(.table) {
      throw DecodingError.dataCorruptedError(
        forKey: .table, in: c,
        debugDescription: "an entity task (with 'file') names 'entity_table', not 'table'")
    }
    let rawType = try c.decode(String.self, forKey: .type)
    guard let type = SemanticType(rawValue: rawType) else {
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: c, debugDescription: "unknown semantic type '\(rawType)'")
    }
    return .entity(
      file: try c.decode(String.self, forKey: .file),
      entityTable: try c.decode(String.self, forKey: .entityTable),
      entityColumns: try c.decode([String].self, forKey: .entityColumns),
      timeColumn: try c.decode(String.self, forKey: .timeColumn),
      type: type,
      horizonDays: try c.decodeIfPresent(Double.self, forKey: .horizonDays))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encodeIfPresent(description, forKey: .description)
    switch form {
    case .cell(let table):
      try c.encode(table, forKey: .table)
    case .entity(let file, let entityTable, let entityColumns, let timeColumn, let type, let horizonDays):
      try c.encode(file, forKey: .file)
      try c.encode(entityTable, forKey: .entityTable)
      try c.encode(entityColumns, forKey: .entityColumns)
      try c.encode(timeColumn, forKey: .timeColumn)
      try c.encode(type, forKey: .type)
      try c.encodeIfPresent(horizonDays, forKey: .horizonDays)
    }
    try c.encode(target, forKey: .target)
    if !hide.isEmpty { try c.encode(hide, forKey: .hide) }
    try c.encode(split, forKey: .split)
  }
}

extension SplitSpec: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case random
    case validationStart = "validation_start"
    case testStart = "test_start"
  }
  enum RandomKeys: String, CodingKey, CaseIterable { case validation, test, seed }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    if c.contains(.random) {
      self = try Self.decodeRandom(try c.superDecoder(forKey: .random))
      return
    }
    let validation = try Self.decodeDate(c, .validationStart)
    let test = try Self.decodeDate(c, .testStart)
    guard validation <= test else {
      throw DecodingError.dataCorruptedError(
        forKey: .testStart, in: c, debugDescription: "test_start is before validation_start")
    }
    self = .temporal(validationStartMicros: validation, testStartMicros: test)
  }

  private static func decodeDate(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Int64 {
    let text = try c.decode(String.self, forKey: key)
    guard let micros = ISO8601Micros.parse(text) else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: c,
        debugDescription: "'\(text)' is not an ISO-8601 date (YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z])")
    }
    return micros
  }

  private static func decodeRandom(_ decoder: any Decoder) throws -> SplitSpec {
    try decoder.rejectUnknownKeys(RandomKeys.self)
    let r = try decoder.container(keyedBy: RandomKeys.self)
    let validation = try r.decode(Double.self, forKey: .validation)
    let test = try r.decode(Double.self, forKey: .test)
    guard validation >= 0, test >= 0, validation + test < 1 else {
      throw DecodingError.dataCorruptedError(
        forKey: .validation, in: r, debugDescription: "fractions must be >= 0 and sum to less than 1")
    }
    return .random(
      validation: validation, test: test, seed: try r.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .temporal(let validation, let test):
      try c.encode(ISO8601Micros.format(validation), forKey: .validationStart)
      try c.encode(ISO8601Micros.format(test), forKey: .testStart)
    case .random(let validation, let test, let seed):
      var r = c.nestedContainer(keyedBy: RandomKeys.self, forKey: .random)
      try r.encode(validation, forKey: .validation)
      try r.encode(test, forKey: .test)
      try r.encode(seed, forKey: .seed)
    }
  }
}
