// Errors of the sampler: a processed database whose arrays disagree with each other (named by file and section),
// or settings that cannot be sampled (unknown task, split or table, impossible sizes).
import Store

public enum SamplerError: Error, CustomStringConvertible, Equatable {
  /// A section's contents break an invariant the sampler relies on (checked once when a database is opened).
  case inconsistent(path: String, section: String, reason: String)
  case unknownTask(database: String, name: String, known: [String])
  case unknownTable(database: String, name: String)
  case invalidSettings(String)
  /// Nothing to sample: an empty split, or no table with a token to show.
  case noSeeds(String)
  /// An explicit seed (SamplingMode.seeds) that cannot be sampled, by its position in the list.
  case invalidSeed(index: Int, String)

  public var description: String {
    let hint = " ---> HINT: re-run `tributary preprocess` to rebuild the processed database"
    switch self {
    case .inconsistent(let path, let section, let reason):
      return "\(path): section '\(section)': \(reason)" + hint
    case .unknownTask(let database, let name, let known):
      return "\(database): no task '\(name)' (tasks: \(known.joined(separator: ", ")))"
    case .unknownTable(let database, let name):
      return "\(database): no table '\(name)'"
    case .invalidSettings(let reason):
      return "sampler settings: \(reason)"
    case .noSeeds(let reason):
      return "nothing to sample: \(reason)"
    case .invalidSeed(let index, let reason):
      return "seed \(index): \(reason)"
    }
  }
}
