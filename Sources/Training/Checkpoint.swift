// Checkpoints: every parameter in one safetensors file (names from the model) and the training config as JSON
// beside it, written with write-then-rename through the safetensors writer. Loading checks every name and shape.
// Refuses: a checkpoint whose config or tensors do not match the model it is loaded into.
import Foundation
import Model
import Tensor

public enum Checkpoint {
  public static let weightsFile = "model.safetensors"
  public static let configFile = "config.json"

  /// Writes `model`'s parameters and `config` under `directory` (created if missing).
  public static func save(
    _ model: RelationalTransformer, config: TrainingConfig, step: Int, to directory: URL,
    backend: some Backend
  ) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let entries = try model.parameters.map {
      SafeTensorsEntry(name: $0.name, shape: $0.value.shape, floats: try backend.copyOut($0.value))
    }
    try SafeTensorsWriter.write(
      entries, metadata: ["step": "\(step)", "format": "tributary-rt-1"],
      to: directory.appendingPathComponent(weightsFile).path)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(config).write(to: directory.appendingPathComponent(configFile), options: .atomic)
  }

  /// The training config stored with a checkpoint.
  public static func config(at directory: URL) throws -> TrainingConfig {
    let data = try Data(contentsOf: directory.appendingPathComponent(configFile))
    let config = try JSONDecoder().decode(TrainingConfig.self, from: data)
    try config.validate()
    return config
  }

  /// Copies the stored tensors into `model`; returns the stored step.
  @discardableResult
  public static func load(into model: RelationalTransformer, from directory: URL, backend: some Backend)
    throws
    -> Int
  {
    let file = try SafeTensorsFile(path: directory.appendingPathComponent(weightsFile).path)
    for parameter in model.parameters {
      let info = try file.info(parameter.name)
      guard info.shape == parameter.value.shape else {
        throw ModelError.invalidInput(
          what: "checkpoint \(directory.path) tensor \(parameter.name)",
          detail: "shape \(info.shape), model expects \(parameter.value.shape)")
      }
      try backend.copyIn(try file.floats(parameter.name), to: parameter.value)
    }
    return Int(file.metadata["step"] ?? "") ?? 0
  }
}
