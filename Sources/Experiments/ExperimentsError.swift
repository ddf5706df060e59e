// The errors of the experiment store: each names what was asked for and what was found.
// It does not wrap arbitrary errors; SQLite's own message is kept verbatim in `sql`.
import Foundation

public enum ExperimentsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No run has this id, id prefix or name.
  case runNotFound(String)
  /// Several runs match a prefix or name; the candidates are listed.
  case ambiguousRun(String, candidates: [String])
  /// The run was already finished (or marked failed) and cannot be written to.
  case runNotRunning(id: String, status: String)
  /// SQLite refused a statement; the message is SQLite's.
  case sql(message: String, statement: String)
  /// The data directory or database file could not be created or opened.
  case storeUnavailable(path: String, reason: String)
  /// A value could not be encoded as JSON (configuration, outputs).
  case unencodable(what: String, reason: String)
  /// A file that was to be registered or read is missing or malformed.
  case badFile(path: String, reason: String)
  /// A metric was asked for that no selected run recorded.
  case metricNotFound(metric: String, runs: [String])
  /// A plot cannot show these values (e.g. non-positive values on a log scale).
  case unplottable(reason: String)

  public var description: String {
    switch self {
    case .runNotFound(let key): return "no run matches '\(key)' (by id, id prefix or name)"
    case .ambiguousRun(let key, let candidates):
      return "'\(key)' matches several runs: \(candidates.joined(separator: ", "))"
    case .runNotRunning(let id, let status): return "run \(id) is \(status), not running"
    case .sql(let message, let statement): return "SQL error: \(message) (in: \(statement))"
    case .storeUnavailable(let path, let reason): return "experiment store at \(path): \(reason)"
    case .unencodable(let what, let reason): return "cannot encode \(what) as JSON: \(reason)"
    case .badFile(let path, let reason): return "\(path): \(reason)"
    case .metricNotFound(let metric, let runs):
      return "metric '\(metric)' was not recorded by \(runs.joined(separator: ", "))"
    case .unplottable(let reason): return "cannot plot: \(reason)"
    }
  }
}

extension ExperimentsError: LocalizedError {
  public var errorDescription: String? { description }
}
