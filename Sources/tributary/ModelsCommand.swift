// `tributary models list|show|import`: checkpoints and embedders known to this installation (registered
// in the experiment store, plus the bundled all-MiniLM-L6-v2 when its Python package is installed).
import ArgumentParser
import Experiments
import Foundation

struct ModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models", abstract: "Checkpoints and embedders known to this installation.",
    subcommands: [ModelsList.self, ModelsShow.self, ModelsImport.self])

  static func all(_ store: ExperimentStore) throws -> [ModelEntry] {
    try store.models(bundled: [BundledModels.miniLM()].compactMap { $0 })
  }
}

struct ModelsList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List known models.")
  @OptionGroup var store: StoreOptions

  func run() throws {
    let models = try ModelsCommand.all(store.open())
    try store.emit(models) { Reports.modelList(models) }
  }
}

struct ModelsShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Details of one model.")
  @OptionGroup var store: StoreOptions
  @Argument(help: "The model's name.") var name: String

  func run() throws {
    let models = try ModelsCommand.all(store.open())
    guard let model = models.first(where: { $0.name == name }) else {
      throw CommandFailure("no model named '\(name)' (known: \(models.map(\.name).joined(separator: ", ")))")
    }
    try store.emit(model) { Reports.modelDetails(model) }
  }
}

struct ModelsImport: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import", abstract: "Register a checkpoint file or folder (safetensors: parameters counted)."
  )
  @OptionGroup var store: StoreOptions
  @Argument(help: "The checkpoint file or folder.") var path: String
  @Option(help: "Name to register it under (default: the file name).") var name: String?
  @Option(help: "Kind: checkpoint or embedder.") var kind = "checkpoint"
  @Option(help: "Databases it was trained on.") var database: [String] = []

  func run() throws {
    let entry = try store.open().registerModel(
      name: name ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, kind: kind,
      path: path,
      databases: database)
    try store.emit(entry) { Reports.modelDetails(entry) }
  }
}
