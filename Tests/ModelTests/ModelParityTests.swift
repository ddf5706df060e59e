// Parity with the PyTorch reference (tools/rt_reference.py, float64): on the committed weights and random
// relational batch of Fixtures/rt_parity.safetensors, our losses, head outputs and every parameter gradient must
// match. The batch has padding, task column ids without embeddings, two parent slots, every cell type and loss.
import Foundation
import TestSupport
import Testing

@testable import Model
@testable import Tensor

private let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Fixtures")

private func loadFields(_ file: SafeTensorsFile) throws -> CellFields {
  let shape = try file.int64s("shape").map { Int($0) }
  var f = CellFields(batchSize: shape[0], contextLength: shape[1], maxParents: shape[2])
  let i32 = { (name: String) in try file.int64s("field.\(name)").map { Int32(truncatingIfNeeded: $0) } }
  let u8 = { (name: String) in try file.int64s("field.\(name)").map { UInt8(truncatingIfNeeded: $0) } }
  (f.number, f.timestamp, f.boolean) = (
    try file.floats("field.number"), try file.floats("field.timestamp"), try file.floats("field.boolean")
  )
  f.labelNumber = try file.floats("field.label_number")
  (f.vocabulary, f.column, f.row) = (try i32("vocabulary"), try i32("column"), try i32("row"))
  (f.labelVocabulary, f.rowParents) = (try i32("label_vocabulary"), try i32("row_parents"))
  (f.type, f.masked, f.loss) = (try u8("type"), try u8("masked"), try u8("loss"))
  return f
}

@Test func modelMatchesPyTorchReference() throws {
  let cpu = CPUBackend(threads: 2)
  let file = try SafeTensorsFile(path: fixtureDirectory.appendingPathComponent("rt_parity.safetensors").path)
  let config = try JSONDecoder().decode(
    ModelConfig.self, from: Data(contentsOf: fixtureDirectory.appendingPathComponent("rt_parity.json")))
  let e = config.embeddingWidth
  let embeddings = try ModelEmbeddings(
    columns: EmbeddingTable(width: e, values: file.floats("embeddings.columns")),
    vocabulary: EmbeddingTable(width: e, values: file.floats("embeddings.vocabulary")))
  let model = try RelationalTransformer(config: config, seed: 0, on: cpu)
  for p in model.parameters { try cpu.copyIn(try file.floats("weight.\(p.name)"), to: p.value) }
  let input = try ModelInput(fields: try loadFields(file), embeddings: embeddings, config: config, on: cpu)
  let arena = try Arena(byteCount: model.arenaBytes(for: input), on: cpu)
  let losses = try model.lossAndGradients(input, arena: arena, backend: cpu)
  var worst: (Double, String) = (0, "")
  func check(_ name: String, _ ours: [Float], _ reference: [Float], tolerance: Double) {
    // An empty reference would compare nothing: the fixture must hold every tensor named.
    let error = reference.isEmpty ? .infinity : relativeError(ours, reference)
    if error > worst.0 { worst = (error, name) }
    #expect(error < tolerance, "\(name): relative error \(error)")
  }
  check("loss.regression", [losses.regression ?? .nan], try file.floats("loss.regression"), tolerance: 1e-5)
  check("loss.binary", [losses.binary ?? .nan], try file.floats("loss.binary"), tolerance: 1e-5)
  check(
    "loss.contrastive", [losses.contrastive ?? .nan], try file.floats("loss.contrastive"), tolerance: 1e-5)
  for p in model.parameters {
    check("grad.\(p.name)", try cpu.copyOut(p.gradient), try file.floats("grad.\(p.name)"), tolerance: 1e-4)
  }
  let outputs = try model.predict(input, arena: arena, backend: cpu)
  check("out.regression", outputs.regression, try file.floats("out.regression"), tolerance: 1e-5)
  check("out.binary", outputs.binary, try file.floats("out.binary"), tolerance: 1e-5)
  check("out.contrastive", outputs.contrastive, try file.floats("out.contrastive"), tolerance: 1e-5)
  print("PyTorch parity: \(model.parameters.count) gradients, worst relative error \(worst.0) (\(worst.1))")
}
