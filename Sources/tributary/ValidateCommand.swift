// `tributary validate DB_DIR`: every check preprocess makes, all reported at once; exit status 1 on any error.
import ArgumentParser
import Foundation
import Preprocess
import Runtime

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check metadata.json and the data against each other; report every problem.")

  @Argument(help: "Folder with metadata.json and the tables' Parquet files.")
  var database: String

  @Option(name: .long, help: "Worker threads (default: all cores).")
  var threads: Int = Parallel.defaultThreads

  func run() throws {
    let problems = DatabaseCheck.run(directory: URL(fileURLWithPath: database), threads: threads)
    for problem in problems { print(problem) }
    let errors = problems.filter { $0.severity == .error }.count
    print("\(database): \(errors) error(s), \(problems.count - errors) warning(s)")
    if errors > 0 { throw ExitCode(1) }
  }
}
