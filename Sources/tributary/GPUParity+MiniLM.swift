// `gpu check`'s embedder comparison: a small random BERT of MiniLM's architecture (written to a temporary folder as
// config.json, vocab.txt and model.safetensors, since the real weights do not travel to the GPU machine) embeds the
// same texts on the GPU and on the CPU; the vectors must agree within the GEMM precision's tolerance. Texts of
// different lengths exercise the padding mask.
import CUDA
import Foundation
import Tensor
import TextEmbedding

extension GPUParity {
  static func checkMiniLM(gpu: any Backend, seed: UInt64, precision: MatmulPrecision) async throws -> Int {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tributary-bert-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeRandomBERT(to: folder, seed: seed)
    let files = MiniLMFiles(directory: folder.path)
    let texts = [
      "the race", "a driver of the team won the race at the circuit", "pit stop", "the the the team",
    ]
    let cpu = try MiniLMEmbedder(files: files, workers: 1)
    let device = try MiniLMEmbedder(files: files, tokensPerBatch: 65536, device: gpu)
    let reference = try await cpu.embed(texts)
    let start = Date()
    let result = try await device.embed(texts)
    let milliseconds = Date().timeIntervalSince(start) * 1000
    let error = relativeError(result.values, reference.values)
    let limit = tolerance(usesMatmul: true, precision: precision)
    print(
      line(error <= limit, "MiniLM architecture", "vectors", error, limit)
        + String(format: " %.1f ms", milliseconds))
    return error <= limit ? 0 : 1
  }

  /// hidden 64, 2 layers, 4 heads, FFN 128, 64 positions; a vocabulary of the special tokens and a few words.
  private static func writeRandomBERT(to folder: URL, seed: UInt64) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let words = [
      "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "race", "a", "driver", "of", "team", "won",
      "at", "circuit", "pit", "stop",
    ]
    try Data((words.joined(separator: "\n") + "\n").utf8).write(
      to: folder.appendingPathComponent("vocab.txt"))
    let (hidden, ffn, positions) = (64, 128, 64)
    let config = """
      {"hidden_size": \(hidden), "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": \(ffn),
       "max_position_embeddings": \(positions), "vocab_size": \(words.count), "layer_norm_eps": 1e-12}
      """
    try Data(config.utf8).write(to: folder.appendingPathComponent("config.json"))
    var random = SplitMix64(seed: seed)
    var entries: [SafeTensorsEntry] = []
    func add(_ name: String, _ shape: [Int], base: Float = 0) {
      let values = (0..<shape.reduce(1, *)).map { _ in base + random.nextNormal() * 0.1 }
      entries.append(SafeTensorsEntry(name: name, shape: shape, floats: values))
    }
    add("embeddings.word_embeddings.weight", [words.count, hidden])
    add("embeddings.position_embeddings.weight", [positions, hidden])
    add("embeddings.token_type_embeddings.weight", [2, hidden])
    add("embeddings.LayerNorm.weight", [hidden], base: 1)
    add("embeddings.LayerNorm.bias", [hidden])
    for layer in 0..<2 {
      let p = "encoder.layer.\(layer)."
      for (name, outputs, inputs) in [
        ("attention.self.query", hidden, hidden), ("attention.self.key", hidden, hidden),
        ("attention.self.value", hidden, hidden), ("attention.output.dense", hidden, hidden),
        ("intermediate.dense", ffn, hidden), ("output.dense", hidden, ffn),
      ] {
        add(p + name + ".weight", [outputs, inputs])
        add(p + name + ".bias", [outputs])
      }
      for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
        add(p + norm + ".weight", [hidden], base: 1)
        add(p + norm + ".bias", [hidden])
      }
    }
    try SafeTensorsWriter.write(entries, to: folder.appendingPathComponent("model.safetensors").path)
  }
}
