// Shared helpers: a throwaway TRIBUTARY_HOME per test, the path of the `experiments-writer` helper built
// beside the test bundle, and running it as a child process.
import Foundation
import TestSupport
import Testing

@testable import Experiments

final class TemporaryHome {
  let url: URL
  let store: ExperimentStore
  /// Runs that must stay `running` for the test (a released Run is marked failed).
  var retained: [Run] = []

  init(options: ExperimentStore.Options = .init(toolVersion: "test")) throws {
    url = TemporaryFiles.url("experiments")
    store = try ExperimentStore.open(StoreLocation(home: url), options: options)
  }

  deinit { try? FileManager.default.removeItem(at: url) }
}

enum WriterProcess {
  /// `experiments-writer`, built by SwiftPM into the same directory as the test bundle.
  static func executable() throws -> URL { try TestPaths.helperExecutable("experiments-writer") }

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
}

/// Counts rows of a SQL query through the public read-only path.
func scalar(_ store: ExperimentStore, _ sql: String) throws -> Int64? {
  guard case .integer(let value)? = try store.query(sql: sql).rows.first?.first else { return nil }
  return value
}
