// Processed databases for the sampler tests: each database is preprocessed once per test process (hashing
// embedder, d = 8) by whichever test asks first; later tests reuse the folder, removed when the process exits.
import Foundation
import Logging
import Preprocess
import Store
import TestSupport
import TextEmbedding

let repositoryRoot = TestPaths.repositoryRoot
/// CI and README: `../shared` beside the checkout.
let sharedDatabases = TestPaths.sharedDatabases
let tinyDatabase = repositoryRoot.appendingPathComponent("Tests/PreprocessTests/Fixtures/tiny")
/// Written by tools/make_sampler_fixtures.py.
let timelineDatabase = repositoryRoot.appendingPathComponent("Tests/SamplerTests/Fixtures/timeline")

actor ProcessedFixtures {
  static let shared = ProcessedFixtures()
  private var running: [String: Task<URL, any Error>] = [:]

  /// `name` is a shared database ("f1"), "tiny" or "timeline".
  func database(_ name: String) async throws -> ProcessedDatabase {
    if let task = running[name] { return try ProcessedDatabase(directory: try await task.value) }
    let source =
      switch name {
      case "tiny": tinyDatabase
      case "timeline": timelineDatabase
      default: sharedDatabases.appendingPathComponent(name)
      }
    let task = Task { try await Self.preprocess(source, name: name) }
    running[name] = task
    return try ProcessedDatabase(directory: try await task.value)
  }

  private static func preprocess(_ source: URL, name: String) async throws -> URL {
    let out = TemporaryFiles.processWideURL("sampler-\(name)")
    let preprocessor = Preprocessor(
      databaseDirectory: source, embedder: HashingEmbedder(dimension: 8),
      options: PreprocessOptions(threads: 2, cacheDirectory: nil), logger: Logger(label: "test"))
    _ = try await preprocessor.run(outputDirectory: out)
    return out
  }
}
