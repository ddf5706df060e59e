// Where the committed fixtures (tools/make_importer_fixtures.py) are, and a scratch folder per test.
import Foundation

enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

  static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

  /// A fresh, empty folder of its own for one test (parallel-safe).
  static func scratch(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tributary-importer-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
