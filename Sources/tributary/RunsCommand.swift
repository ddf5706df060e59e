// `tributary runs ...`: the experiment store from the command line. Each subcommand is a thin wrapper:
// the queries and the text it prints live in the Experiments module (tested there); `--json` prints the
// same records as JSON for scripts.
import ArgumentParser
import Experiments
import Foundation

struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs",
    abstract: "Recorded runs: list, inspect, query with SQL, compare and plot.",
    subcommands: [
      RunsList.self, RunsShow.self, RunsQuery.self, RunsBest.self, RunsCompare.self, RunsSummary.self,
      RunsTag.self, RunsDelete.self, RunsPlot.self, RunsExport.self, RunsDemo.self,
    ])
}

/// Where the store is and how to print: shared by every store command.
struct StoreOptions: ParsableArguments {
  @Option(help: "The data directory (default: $TRIBUTARY_HOME, else ~/.tributary).")
  var home: String?

  @Flag(help: "Print JSON instead of tables.")
  var json = false

  func open() throws -> ExperimentStore {
    let location = home.map { StoreLocation(home: URL(fileURLWithPath: $0)) } ?? .fromEnvironment()
    return try ExperimentStore.open(location, options: .init(toolVersion: TributaryVersion.string))
  }

  func emit(_ value: some Encodable, text: () -> String) throws {
    print(json ? try Reports.json(value) : text())
  }
}

extension RunStatus: ExpressibleByArgument {}

/// A failure found while running (not a usage error): printed as "Error: ..." without the usage text.
struct CommandFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

struct RunsList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, oldest first.")
  @OptionGroup var store: StoreOptions
  @Option(help: "Only runs with this status (\(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))).")
  var status: RunStatus?
  @Option(help: "Only runs with this tag.") var tag: String?

  func run() throws {
    let runs = try store.open().listRuns(status: status, tag: tag)
    try store.emit(runs) { Reports.runList(runs) }
  }
}

struct RunsShow: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Everything recorded about one run (by id, id prefix or name).")
  @OptionGroup var store: StoreOptions
  @Argument(help: ArgumentHelp("The run.", valueName: "run")) var runKey: String

  func run() throws {
    let details = try store.open().details(of: runKey)
    try store.emit(details) { Reports.runDetails(details) }
  }
}

struct RunsQuery: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "query",
    abstract:
      "Run SQL (read-only) over the views runs, metrics, evaluations, final_metrics, tags, models, databases."
  )
  @OptionGroup var store: StoreOptions
  @Option(help: "One SQL statement, e.g. \"SELECT name, status FROM runs\".") var sql: String

  func run() throws {
    let result = try store.open().query(sql: sql)
    try store.emit(result) { Reports.queryResult(result) }
  }
}

struct RunsBest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "best",
    abstract: "Runs ranked by a final metric (or by its last evaluation on --split).")
  @OptionGroup var store: StoreOptions
  @Argument(help: "The metric, e.g. test/auroc.") var metric: String
  @Option(help: "Only runs recorded for this task.") var task: String?
  @Option(help: "Rank by the last evaluation on this split instead of the final metrics.") var split: String?
  @Option(help: "How many runs to show.") var top = 10
  @Flag(help: "Lower is better (losses, errors).") var lowest = false

  func validate() throws {
    guard top > 0 else { throw ValidationError("--top must be positive") }
  }

  func run() throws {
    let best = try store.open().best(metric: metric, task: task, split: split, top: top, lowest: lowest)
    try store.emit(best) { Reports.best(best, metric: metric) }
  }
}
