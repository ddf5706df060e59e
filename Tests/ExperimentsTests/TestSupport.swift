// Shared helpers: a throwaway TRIBUTARY_HOME per test, the path of the `experiments-writer` helper built
// beside the test bundle, and running it as a child process.
import Foundation
import Testing

@testable import Experiments

final class TemporaryHome {
  let url: URL
  let store: ExperimentStore
  /// Runs that must stay `running` for the test (a released Run is marked failed).
  var retained: [Run] = []

  init(options: ExperimentStore.Options = .init(toolVersion: "test")) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tributary-experiments-\(UUID().uuidString)")
    store = try ExperimentStore.open(StoreLocation(home: url), options: options)
  }

  deinit { try? FileManager.default.removeItem(at: url) }
}

enum WriterProcess {
  /// `experiments-writer`, built by SwiftPM into the same directory as the test bundle.
  static func executable() throws -> URL {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
      bundleDirectory.appendingPathComponent("experiments-writer"),
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("experiments-writer"),
      Bundle.main.bundleURL.appendingPathComponent("experiments-writer"),
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) })
    else {
      throw WriterNotFound(searched: candidates.map(\.path))
    }
    return found
  }

  static func start(home: URL, name: String, steps: Int, perStep: Int, hang: Bool = false) throws -> (
    Process, Pipe
  ) {
    let process = Process()
    process.executableURL = try executable()
    process.arguments = [home.path, name, String(steps), String(perStep)] + (hang ? ["hang"] : [])
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    return (process, output)
  }

  struct WriterNotFound: Error { var searched: [String] }
}

/// Counts rows of a SQL query through the public read-only path.
func scalar(_ store: ExperimentStore, _ sql: String) throws -> Int64? {
  guard case .integer(let value)? = try store.query(sql: sql).rows.first?.first else { return nil }
  return value
}
