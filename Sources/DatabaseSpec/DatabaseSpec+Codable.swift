// Codable conformances of the metadata.json model, in the spec's snake_case, rejecting unknown keys.
import Foundation

extension DatabaseSpec: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable { case format, name, description, tables, tasks }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    format = try c.decode(Int.self, forKey: .format)
    guard format == DatabaseSpec.currentFormat else {
      throw DecodingError.dataCorruptedError(
        forKey: .format, in: c,
        debugDescription:
          "format \(format) is not supported (this Tributary reads format \(DatabaseSpec.currentFormat))")
    }
    name = try c.decode(String.self, forKey: .name)
    description = try c.decodeIfPresent(String.self, forKey: .description)
    tables = try c.decode([TableSpec].self, forKey: .tables)
    tasks = try c.decodeIfPresent([TaskSpec].self, forKey: .tasks) ?? []
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(format, forKey: .format)
    try c.encode(name, forKey: .name)
    try c.encodeIfPresent(description, forKey: .description)
    try c.encode(tables, forKey: .tables)
    try c.encode(tasks, forKey: .tasks)
  }
}

extension TableSpec: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, file, description, columns
    case primaryKey = "primary_key"
    case timeColumn = "time_column"
    case foreignKeys = "foreign_keys"
  }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    file = try c.decodeIfPresent(String.self, forKey: .file)
    description = try c.decodeIfPresent(String.self, forKey: .description)
    primaryKey = try c.decodeIfPresent([String].self, forKey: .primaryKey)
    timeColumn = try c.decodeIfPresent(String.self, forKey: .timeColumn)
    foreignKeys = try c.decodeIfPresent([ForeignKeySpec].self, forKey: .foreignKeys) ?? []
    columns = try c.decode([ColumnSpec].self, forKey: .columns)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encodeIfPresent(file, forKey: .file)
    try c.encodeIfPresent(description, forKey: .description)
    try c.encodeIfPresent(primaryKey, forKey: .primaryKey)
    try c.encodeIfPresent(timeColumn, forKey: .timeColumn)
    if !foreignKeys.isEmpty { try c.encode(foreignKeys, forKey: .foreignKeys) }
    try c.encode(columns, forKey: .columns)
  }
}

extension ForeignKeySpec: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable { case columns, references }
  enum ReferenceKeys: String, CodingKey, CaseIterable { case table, columns }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    columns = try c.decode([String].self, forKey: .columns)
    let referenceDecoder = try c.superDecoder(forKey: .references)
    try referenceDecoder.rejectUnknownKeys(ReferenceKeys.self)
    let r = try referenceDecoder.container(keyedBy: ReferenceKeys.self)
    referencedTable = try r.decode(String.self, forKey: .table)
    referencedColumns = try r.decode([String].self, forKey: .columns)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(columns, forKey: .columns)
    var r = c.nestedContainer(keyedBy: ReferenceKeys.self, forKey: .references)
    try r.encode(referencedTable, forKey: .table)
    try r.encode(referencedColumns, forKey: .columns)
  }
}

extension ColumnSpec: Codable {
  enum CodingKeys: String, CodingKey, CaseIterable { case name, type, signal, description }

  public init(from decoder: any Decoder) throws {
    try decoder.rejectUnknownKeys(CodingKeys.self)
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    let rawType = try c.decode(String.self, forKey: .type)
    guard let type = SemanticType(rawValue: rawType) else {
      let known = SemanticType.allCases.map(\.rawValue).joined(separator: ", ")
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: c, debugDescription: "unknown semantic type '\(rawType)' (one of \(known))")
    }
    self.type = type
    signal = try c.decodeIfPresent(Bool.self, forKey: .signal)
    description = try c.decodeIfPresent(String.self, forKey: .description)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(name, forKey: .name)
    try c.encode(type, forKey: .type)
    try c.encodeIfPresent(signal, forKey: .signal)
    try c.encodeIfPresent(description, forKey: .description)
  }
}
