// `import`: a source database into a Tributary database folder (one zstd Parquet file per table plus a proposed
// metadata.json). Everything is written into a staging folder beside the output and renamed into place only at the
// end, so a failed or interrupted import leaves nothing that looks complete (at worst a `.importing-*` folder).
// Keys the source declares are used as they are; the rest are inferred by `describe`.
// Refuses an output folder that exists and is not empty.
import DatabaseSpec
import Foundation
import Logging
import Parquet
import Runtime

public enum ImportSource: Sendable, Equatable {
  case csvFolder(URL)
  case parquetFolder(URL)
  case sqlite(URL)
  case postgres(String)

  /// `postgres://...` / `postgresql://...`, a SQLite file, or a folder of CSV (else Parquet) files.
  public static func detect(_ text: String) throws -> ImportSource {
    if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") { return .postgres(text) }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) else {
      throw ImportError("\(text): no such file or folder (and not a postgres:// URL)")
    }
    let url = URL(fileURLWithPath: text)
    guard isDirectory.boolValue else { return .sqlite(url) }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: text)) ?? []
    if names.contains(where: { $0.lowercased().hasSuffix(".csv") }) { return .csvFolder(url) }
    if names.contains(where: { $0.hasSuffix(".parquet") }) { return .parquetFolder(url) }
    throw ImportError("\(text): a folder with neither .csv nor .parquet files")
  }
}

public struct ImportError: Error, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

public struct ImportSummary: Sendable {
  public var tables: [ImportedTable]
  public var proposal: DescribeProposal
  public var seconds: Double
  public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
}

/// What a source adapter produced in the staging folder.
struct StagedTables {
  var tables: [ImportedTable]
  var declared: [String: DeclaredKeys]
}

public struct DatabaseImporter {
  let source: ImportSource
  let output: URL
  let options: CSVImportOptions
  let logger: Logger

  public init(source: ImportSource, output: URL, options: CSVImportOptions = .init(), logger: Logger) {
    self.source = source
    self.output = output
    self.options = options
    self.logger = logger
  }

  public func run() async throws -> ImportSummary {
    let start = Date()
    let manager = FileManager.default
    if manager.fileExists(atPath: output.path),
      !((try? manager.contentsOfDirectory(atPath: output.path)) ?? []).isEmpty
    {
      throw ImportError("\(output.path) exists and is not empty")
    }
    let staging = output.deletingLastPathComponent().appendingPathComponent(
      ".\(output.lastPathComponent).importing-\(UUID().uuidString.prefix(8))")
    try manager.createDirectory(at: staging, withIntermediateDirectories: true)
    do {
      let staged = try await stage(into: staging)
      var proposal = try Describer.propose(directory: staging, declared: staged.declared)
      proposal.spec.name = output.lastPathComponent
      try proposal.write(to: staging, force: false)
      if manager.fileExists(atPath: output.path) { try manager.removeItem(at: output) }
      try manager.moveItem(at: staging, to: output)
      return ImportSummary(
        tables: staged.tables, proposal: proposal, seconds: Date().timeIntervalSince(start))
    } catch {
      try? manager.removeItem(at: staging)
      throw error
    }
  }

  func stage(into staging: URL) async throws -> StagedTables {
    switch source {
    case .csvFolder(let folder):
      return try CSVFolderImporter.stage(folder, into: staging, options: options, logger: logger)
    case .parquetFolder(let folder): return try copyParquet(folder, into: staging)
    case .sqlite(let file):
      return try SQLiteImporter.stage(file, into: staging, options: options, logger: logger)
    case .postgres(let url):
      return try await PostgresImporter.stage(
        url, schema: options.postgresSchema, into: staging, options: options, logger: logger)
    }
  }

  func copyParquet(_ folder: URL, into staging: URL) throws -> StagedTables {
    var tables: [ImportedTable] = []
    for file in try DatabaseProfiler.parquetFiles(in: folder) {
      try FileManager.default.copyItem(
        at: folder.appendingPathComponent(file), to: staging.appendingPathComponent(file))
      let rows = (try? ParquetFile(path: staging.appendingPathComponent(file).path).rowCount) ?? 0
      tables.append(ImportedTable(name: String(file.dropLast(8)), file: file, rows: rows, columns: []))
    }
    return StagedTables(tables: tables, declared: [:])
  }
}

enum CSVFolderImporter {
  static func stage(_ folder: URL, into staging: URL, options: CSVImportOptions, logger: Logger) throws
    -> StagedTables
  {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.lowercased().hasSuffix(".csv") }.sorted()
    var tables: [ImportedTable] = []
    for name in names {
      let table = String(name.dropLast(4))
      tables.append(
        try CSVTableImporter.importTable(
          csv: folder.appendingPathComponent(name).path, name: table,
          to: staging.appendingPathComponent("\(table).parquet").path, options: options, logger: logger))
    }
    return StagedTables(tables: tables, declared: [:])
  }
}
