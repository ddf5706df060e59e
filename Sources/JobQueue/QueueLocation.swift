// Where a queue lives, as given on the command line: `sqlite:PATH` (the embedded default) or
// `postgres://user@host:port/db` (scale-out across machines).
// Refuses: other schemes and a relative SQLite path. (`Queues.open` in PostgresJobQueue opens either kind.)
import Foundation

public enum QueueLocation: Sendable, Equatable {
  case sqlite(path: String)
  case postgres(url: String)

  public init(parsing text: String) throws {
    if text.hasPrefix("sqlite:") {
      let path = String(text.dropFirst("sqlite:".count))
      guard path.hasPrefix("/") else {
        throw JobQueueError.invalidLocation(text + " (the path must be absolute)")
      }
      self = .sqlite(path: path)
    } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
      self = .postgres(url: text)
    } else {
      throw JobQueueError.invalidLocation(text)
    }
  }

  /// The data directory beside a SQLite queue; nil for PostgreSQL (chunks then go to a shared directory given
  /// separately).
  public var siblingDataDirectory: String? {
    guard case .sqlite(let path) = self else { return nil }
    return (path as NSString).deletingLastPathComponent
  }
}
