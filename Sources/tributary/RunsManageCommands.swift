// `tributary runs compare|summary|tag|delete|demo`. `delete` asks for confirmation on a terminal and
// refuses without `--yes` otherwise; `demo` records a synthetic run until `tributary train` exists.
import ArgumentParser
import Experiments
import Foundation

struct RunsCompare: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Configurations and final metrics of runs side by side; differences marked *.")
  @OptionGroup var store: StoreOptions
  @Argument(help: "Two or more runs.") var runs: [String]

  func validate() throws {
    guard runs.count >= 2 else { throw ValidationError("compare needs at least two runs") }
  }

  func run() throws {
    let comparison = try store.open().compare(runs)
    try store.emit(comparison) { Reports.comparison(comparison) }
  }
}

struct RunsSummary: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary", abstract: "Counts over the whole store.")
  @OptionGroup var store: StoreOptions

  func run() throws {
    let summary = try store.open().summary()
    try store.emit(summary) { Reports.summary(summary) }
  }
}

struct RunsTag: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "tag", abstract: "Add tags to a run.")
  @OptionGroup var store: StoreOptions
  @Argument(help: ArgumentHelp("The run.", valueName: "run")) var runKey: String
  @Argument(help: "One or more tags.") var tags: [String]

  func validate() throws {
    guard !tags.isEmpty else { throw ValidationError("give at least one tag") }
  }

  func run() throws {
    let experiments = try store.open()
    try experiments.tag(run: runKey, tags)
    let details = try experiments.details(of: runKey)
    try store.emit(details.run) { "\(details.run.id): \(details.run.tags.joined(separator: ", "))" }
  }
}

struct RunsDelete: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete a run with its metrics (asks first unless --yes).")
  @OptionGroup var store: StoreOptions
  @Argument(help: ArgumentHelp("The run.", valueName: "run")) var runKey: String
  @Flag(help: "Do not ask for confirmation.") var yes = false

  func run() throws {
    let experiments = try store.open()
    let details = try experiments.details(of: runKey)
    if !yes {
      guard isatty(STDIN_FILENO) == 1 else {
        throw CommandFailure("standard input is not a terminal: pass --yes to delete \(details.run.id)")
      }
      Swift.print(
        "delete run \(details.run.id) (\(details.run.name), \(details.run.status))? [y/N] ", terminator: "")
      guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
        Swift.print("kept \(details.run.id)")
        return
      }
    }
    let id = try experiments.deleteRun(details.run.id)
    try store.emit(["deleted": id]) { "deleted \(id)" }
  }
}

struct RunsDemo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Record a synthetic training run (for trying the store).",
    shouldDisplay: false)
  @OptionGroup var store: StoreOptions
  @Option(help: "Run name.") var name: String
  @Option(help: "Learning rate.") var lr = 1e-3
  @Option(help: "Steps.") var steps = 200
  @Option(help: "Layers.") var layers = 4
  @Option(help: "Seed.") var seed: UInt64 = 1
  @Option(help: "Pretraining mixture (recorded in the config).") var mixture = "f1"
  @Option(help: "Task recorded for the run.") var task = "driver-dnf"
  @Option(help: "Tags.") var tag: [String] = []

  func run() throws {
    let config = DemoConfig(learningRate: lr, steps: steps, seed: seed, layers: layers, mixture: mixture)
    let run = try DemoRun.record(in: store.open(), name: name, config: config, tasks: [task], tags: tag)
    try store.emit(["id": run.id]) { "recorded \(run.id) (\(name))" }
  }
}
