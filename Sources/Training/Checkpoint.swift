// Checkpoints: every parameter in one safetensors file (names from the model), AdamW's moments in a second one
// (`<parameter>.m`, `<parameter>.v`, so `--resume` continues the same optimization), and the training config as
// JSON beside them, each written with write-then-rename. Loading checks every name and shape.
// Refuses: a checkpoint whose config or tensors do not match the model it is loaded into; optimizer moments
// saved at another step than the weights (a crash between the two writes) are not used.
import Foundation
import Model
import Tensor

public enum Checkpoint {
  public static let weightsFile = "model.safetensors"
  public static let configFile = "config.json"
  public static let optimizerFile = "optimizer.safetensors"

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

  /// Writes AdamW's moments beside the weights, named after the parameters.
  public static func saveOptimizer(
    _ optimizer: AdamW, model: RelationalTransformer, step: Int, to directory: URL, backend: some Backend
  ) throws {
    var entries: [SafeTensorsEntry] = []
    for (parameter, moment) in zip(model.parameters, optimizer.state) {
      entries.append(
        SafeTensorsEntry(
          name: parameter.name + ".m", shape: moment.m.shape, floats: try backend.copyOut(moment.m)))
      entries.append(
        SafeTensorsEntry(
          name: parameter.name + ".v", shape: moment.v.shape, floats: try backend.copyOut(moment.v)))
    }
    try SafeTensorsWriter.write(
      entries,
      metadata: ["step": "\(step)", "optimizer_step": "\(optimizer.step)", "format": "tributary-adamw-1"],
      to: directory.appendingPathComponent(optimizerFile).path)
  }

  /// Copies saved moments into `optimizer` when they were saved at `step`; returns whether it did.
  public static func loadOptimizer(
    into optimizer: inout AdamW, model: RelationalTransformer, step: Int, from directory: URL,
    backend: some Backend
  ) throws -> Bool {
    let path = directory.appendingPathComponent(optimizerFile).path
    guard FileManager.default.fileExists(atPath: path) else { return false }
    let file = try SafeTensorsFile(path: path)
    guard Int(file.metadata["step"] ?? "") == step,
      let optimizerStep = Int(file.metadata["optimizer_step"] ?? "")
    else { return false }
    for (parameter, moment) in zip(model.parameters, optimizer.state) {
      for (suffix, tensor) in [(".m", moment.m), (".v", moment.v)] {
        let info = try file.info(parameter.name + suffix)
        guard info.shape == tensor.shape else {
          throw ModelError.invalidInput(
            what: "optimizer state \(path) tensor \(parameter.name + suffix)",
            detail: "shape \(info.shape), model expects \(tensor.shape)")
        }
        try backend.copyIn(try file.floats(parameter.name + suffix), to: tensor)
      }
    }
    optimizer.restore(step: optimizerStep)
    return true
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
