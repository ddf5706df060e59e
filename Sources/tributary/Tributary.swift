import ArgumentParser
// The `tributary` command line: one subcommand group per layer.
import Foundation
import Logging

@main
struct Tributary: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tributary",
    abstract: "A foundation model for relational databases.",
    version: TributaryVersion.string,
    subcommands: [
      ParquetCommand.self, PreprocessCommand.self, InspectCommand.self, BenchCommand.self,
      DescribeCommand.self, ValidateCommand.self, ImportCommand.self,
    ])

  static func main() async {
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = LogLevelFromEnvironment.current
      return handler
    }
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }
}

enum TributaryVersion {
  static let string = "0.1.0"
}

/// `TRIBUTARY_LOG_LEVEL=debug|info|warning|...` chooses the log level (default: info).
enum LogLevelFromEnvironment {
  static var current: Logger.Level {
    guard let raw = ProcessInfo.processInfo.environment["TRIBUTARY_LOG_LEVEL"],
      let level = Logger.Level(rawValue: raw.lowercased())
    else { return .info }
    return level
  }
}
