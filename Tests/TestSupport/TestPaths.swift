// Where tests find what lies outside their own target: the package root, the shared data beside the checkout
// (../shared, or ../../shared for worktrees), the scripts under tools/, and the helper executables SwiftPM builds
// beside the test bundle. Only computes paths; whether the data is there is for each test to decide.
import Foundation

public enum TestPaths {
  /// The package root, from this file's path (Tests/TestSupport/TestPaths.swift).
  public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// `shared/` beside the checkout, or one level further up (worktrees under `wt/`).
  public static let shared: URL = {
    let up = repositoryRoot.deletingLastPathComponent()
    let candidates = [up, up.deletingLastPathComponent()].map { $0.appendingPathComponent("shared") }
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
  }()

  /// The four real databases (Parquet + metadata.json).
  public static var sharedDatabases: URL { shared.appendingPathComponent("databases") }

  /// The Apache parquet-testing corpus.
  public static var parquetTestingData: URL { shared.appendingPathComponent("parquet-testing/data") }

  /// A file under the package's `tools/`.
  public static func tool(_ name: String) -> URL {
    repositoryRoot.appendingPathComponent("tools").appendingPathComponent(name)
  }

  /// A helper executable target (`service-test-worker`, `experiments-writer`) that SwiftPM built into the same
  /// directory as the test bundle.
  public static func helperExecutable(_ name: String) throws -> URL {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
      bundleDirectory.appendingPathComponent(name),
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name),
      Bundle.main.bundleURL.appendingPathComponent(name),
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) })
    else {
      throw TestFailure("\(name) not found in \(candidates.map(\.path))")
    }
    return found
  }
}

/// A test's own error: a precondition of the test that did not hold, said in words.
public struct TestFailure: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
