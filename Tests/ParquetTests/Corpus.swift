// Locations of the test data: the parquet-testing corpus beside the package, and committed fixtures.
import Foundation

enum Corpus {
  /// The package root, from this file's path (Tests/ParquetTests/Corpus.swift).
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  /// `../shared/parquet-testing/data` relative to the package root (or one level further up, for worktrees).
  static let data: URL = {
    let up = packageRoot.deletingLastPathComponent()
    let candidates = [up, up.deletingLastPathComponent()].map {
      $0.appendingPathComponent("shared/parquet-testing/data")
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
  }()
  static let fixtures = packageRoot.appendingPathComponent("Tests/ParquetTests/Fixtures")
}
