// Raw and processed databases known locally. A raw database is a folder with a `metadata.json` describing
// tables (Parquet files beside it); a processed one has a `metadata.json` holding a `format_version` and
// the path of its `source`. Registration records a fingerprint of the source files (count, bytes, newest
// modification) so listing can tell whether a processed copy is still up to date. It reads metadata
// leniently (names of tasks only) and never validates a database: that is DatabaseSpec's job.
import Foundation
import GRDB

public struct DatabaseEntry: Codable, Sendable, Equatable {
  public var name: String
  public var kind: String
  public var path: String
  public var source: String?
  public var tasks: [String]
  public var sizeBytes: Int64
  public var exists: Bool
  /// Processed databases only: whether the source is unchanged since processing (nil if unknown).
  public var upToDate: Bool?
  public var registeredAt: String?

  enum CodingKeys: String, CodingKey {
    case name, kind, path, source, tasks, exists
    case sizeBytes = "size_bytes"
    case upToDate = "up_to_date"
    case registeredAt = "registered_at"
  }
}

enum DatabaseFolder {
  struct Metadata {
    var name: String
    var kind: String
    var source: String?
    var tasks: [String]
  }

  static func metadata(at folder: String) throws -> Metadata {
    let file = folder + "/metadata.json"
    guard let data = FileManager.default.contents(atPath: file) else {
      throw ExperimentsError.badFile(path: file, reason: "missing: not a database folder")
    }
    guard case .object(let object) = (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null else {
      throw ExperimentsError.badFile(path: file, reason: "not a JSON object")
    }
    let tasks: [String]
    if case .array(let items) = object["tasks"] ?? .null {
      tasks = items.compactMap {
        if case .object(let task) = $0, case .string(let name) = task["name"] ?? .null { name } else { nil }
      }
    } else {
      tasks = []
    }
    var source: String?
    if case .string(let value) = object["source"] ?? .null {
      source =
        value.hasPrefix("/") ? value : URL(fileURLWithPath: folder + "/" + value).standardizedFileURL.path
    }
    let fallback = URL(fileURLWithPath: folder).lastPathComponent
    let name: String = if case .string(let value) = object["name"] ?? .null { value } else { fallback }
    return Metadata(
      name: name, kind: object["format_version"] == nil ? "raw" : "processed", source: source, tasks: tasks)
  }

  /// "files=N bytes=B newest=T" over the source's files: changes when a file is added, resized or touched.
  static func fingerprint(_ folder: String) -> String {
    let files = FileFacts.files(under: folder)
    let newest = files.map(\.modified).max() ?? 0
    return
      "files=\(files.count) bytes=\(files.reduce(0) { $0 + $1.size }) newest=\(Int64(exactly: (newest * 1000).rounded()) ?? 0)"
  }
}

extension ExperimentStore {
  /// Registers a raw or processed database folder (kind read from its metadata.json).
  @discardableResult
  public func registerDatabase(at path: String) throws -> DatabaseEntry {
    let folder = URL(fileURLWithPath: path).standardizedFileURL.path
    let metadata = try DatabaseFolder.metadata(at: folder)
    let fingerprint = metadata.source.map(DatabaseFolder.fingerprint)
    try write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO database (path, name, kind, source, source_fingerprint, registered_at)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [folder, metadata.name, metadata.kind, metadata.source, fingerprint, Clock.nowISO8601()])
    }
    return try databases().first { $0.path == folder }
      ?? entry(folder, metadata, fingerprint: fingerprint, registeredAt: nil)
  }

  /// Registered databases, then unregistered database folders found directly under `scanning` folders.
  public func databases(scanning: [String] = []) throws -> [DatabaseEntry] {
    let registered = try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM database ORDER BY kind DESC, name").map {
        row -> DatabaseEntry in
        let path: String = row["path"]
        let metadata =
          (try? DatabaseFolder.metadata(at: path))
          ?? DatabaseFolder.Metadata(name: row["name"], kind: row["kind"], source: row["source"], tasks: [])
        return entry(
          path, metadata, fingerprint: row["source_fingerprint"], registeredAt: row["registered_at"])
      }
    }
    let known = Set(registered.map(\.path))
    var found: [DatabaseEntry] = []
    for root in scanning {
      let children = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
      for child in children.sorted() {
        let folder = URL(fileURLWithPath: root + "/" + child).standardizedFileURL.path
        guard !known.contains(folder), let metadata = try? DatabaseFolder.metadata(at: folder) else {
          continue
        }
        found.append(entry(folder, metadata, fingerprint: nil, registeredAt: nil))
      }
    }
    return registered + found
  }

  private func entry(
    _ path: String, _ metadata: DatabaseFolder.Metadata, fingerprint: String?, registeredAt: String?
  ) -> DatabaseEntry {
    var upToDate: Bool?
    if metadata.kind == "processed", let source = metadata.source, FileFacts.exists(source) {
      if let fingerprint {
        upToDate = DatabaseFolder.fingerprint(source) == fingerprint
      } else {
        let processedAt = FileFacts.files(under: path + "/metadata.json").first?.modified ?? 0
        upToDate = (FileFacts.files(under: source).map(\.modified).max() ?? 0) <= processedAt
      }
    }
    return DatabaseEntry(
      name: metadata.name, kind: metadata.kind, path: path, source: metadata.source, tasks: metadata.tasks,
      sizeBytes: FileFacts.size(path), exists: FileFacts.exists(path), upToDate: upToDate,
      registeredAt: registeredAt)
  }
}
