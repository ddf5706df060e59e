// Where the committed fixtures (tools/make_importer_fixtures.py) are.
import Foundation

enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "Fixtures")

  static func url(_ name: String) -> URL { root.appendingPathComponent(name) }
}
