// Where the experiment store lives: `$TRIBUTARY_HOME/experiments.sqlite`, `TRIBUTARY_HOME` defaulting to
// `~/.tributary`. It only computes paths and creates the directory; it never opens the database.
import Foundation

public struct StoreLocation: Sendable, Equatable {
  /// The data directory (`TRIBUTARY_HOME`).
  public var home: URL
  /// The SQLite database file inside it.
  public var databaseFile: URL { home.appendingPathComponent("experiments.sqlite") }

  public init(home: URL) {
    self.home = home
  }

  /// `TRIBUTARY_HOME` if set and not empty, else `~/.tributary`.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> StoreLocation {
    if let raw = environment["TRIBUTARY_HOME"], !raw.isEmpty {
      return StoreLocation(home: URL(fileURLWithPath: raw, isDirectory: true))
    }
    let userHome =
      environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
      ?? FileManager.default.homeDirectoryForCurrentUser
    return StoreLocation(home: userHome.appendingPathComponent(".tributary", isDirectory: true))
  }

  func createHome() throws {
    do {
      try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    } catch {
      throw ExperimentsError.storeUnavailable(
        path: home.path, reason: "cannot create the directory: \(error)")
    }
  }
}
