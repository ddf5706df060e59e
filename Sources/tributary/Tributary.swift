import ArgumentParser
// The `tributary` command line: one subcommand group per layer.
import CMemoryTuning
import Foundation
import Logging

@main
struct Tributary: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tributary",
    abstract: "A foundation model for relational databases.",
    version: TributaryVersion.string,
    subcommands: [
      ParquetCommand.self, PreprocessCommand.self, InspectCommand.self, SampleCommand.self, EmbedCommand.self,
      BenchCommand.self, RunsCommand.self, ModelsCommand.self, DatabasesCommand.self,
      DescribeCommand.self, ValidateCommand.self, ImportCommand.self, TrainCommand.self,
      EvaluateCommand.self, PredictCommand.self, ServeCommand.self, WorkerCommand.self, GPUCommand.self,
    ])

  static func main() async {
    MemoryTuning.keepFreedMemory()
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

enum MemoryTuning {
  /// glibc hands big freed blocks back to the kernel, so the next big array (a decoded column, a batch) is paid
  /// for again in page faults: a quarter of Parquet decode time. Keep blocks up to 32 MiB (glibc's limit for
  /// mmap'd allocations) on the heap, and never trim it.
  static func keepFreedMemory() {
    tributary_keep_freed_memory()
  }
}
