// Human-readable output of `tributary models ...` and `tributary databases list`.
import Foundation

extension Reports {
  public static func modelList(_ models: [ModelEntry]) -> String {
    guard !models.isEmpty else { return "no models" }
    return TextTable(
      headers: ["NAME", "KIND", "FORMAT", "SIZE", "PARAMETERS", "DATABASES", "RUN", "PATH"],
      rows: models.map { model in
        [
          model.name, model.kind, model.format, model.exists ? bytes(model.sizeBytes) : "missing",
          model.parameters.map(String.init) ?? "", model.databases.joined(separator: ","), model.runID ?? "",
          model.path,
        ]
      }
    ).render()
  }

  public static func modelDetails(_ model: ModelEntry) -> String {
    keyValues([
      ("name", model.name), ("kind", model.kind), ("path", model.path), ("exists", String(model.exists)),
      ("format", model.format), ("size", "\(bytes(model.sizeBytes)) (\(model.sizeBytes) bytes)"),
      ("parameters", model.parameters.map(String.init) ?? "unknown"),
      ("databases", model.databases.joined(separator: ", ")), ("run", model.runID ?? ""),
      ("registered", model.registeredAt ?? "bundled"),
    ])
  }

  public static func databaseList(_ databases: [DatabaseEntry]) -> String {
    guard !databases.isEmpty else { return "no databases" }
    return TextTable(
      headers: ["NAME", "KIND", "SIZE", "TASKS", "UP TO DATE", "REGISTERED", "PATH"],
      rows: databases.map { entry in
        [
          entry.name, entry.kind, entry.exists ? bytes(entry.sizeBytes) : "missing",
          String(entry.tasks.count),
          entry.upToDate.map { $0 ? "yes" : "no" } ?? "", entry.registeredAt.map(shortTime) ?? "no",
          entry.path,
        ]
      }
    ).render()
  }

  /// 1536 -> "1.5 KiB".
  static func bytes(_ count: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(count)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
  }
}
