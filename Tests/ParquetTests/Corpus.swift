// Locations of the test data: the parquet-testing corpus beside the package, and committed fixtures.
import Foundation
import TestSupport

enum Corpus {
  /// `../shared/parquet-testing/data` relative to the package root (or one level further up, for worktrees).
  static let data = TestPaths.parquetTestingData
  static let fixtures = TestPaths.repositoryRoot.appendingPathComponent("Tests/ParquetTests/Fixtures")
}
