// `tributary databases list`: raw and processed databases registered in the store (and, with --scan,
// database folders found under other directories), with sizes, tasks and freshness of processed copies.
import ArgumentParser
import Experiments
import Foundation

struct DatabasesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "databases", abstract: "Raw and processed databases known locally.",
    subcommands: [DatabasesList.self])
}

struct DatabasesList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List known databases.")
  @OptionGroup var store: StoreOptions
  @Option(help: "Also list database folders directly under this directory.") var scan: [String] = []

  func run() throws {
    let databases = try store.open().databases(scanning: scan)
    try store.emit(databases) { Reports.databaseList(databases) }
  }
}
