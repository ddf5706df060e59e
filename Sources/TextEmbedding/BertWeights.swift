// BERT encoder weights (the names of Hugging Face's BertModel) loaded from model.safetensors and checked
// against the configuration: every tensor must exist with the expected shape, or loading fails naming it.
// Refuses: configurations other than a post-LayerNorm BERT with GELU (erf) and absolute positions.
import Foundation
import Tensor

/// The hyper-parameters of a BERT encoder, read from config.json (defaults: all-MiniLM-L6-v2).
public struct BertConfiguration: Sendable, Equatable, Decodable {
  public var hiddenSize = 384
  public var layers = 6
  public var heads = 12
  public var intermediateSize = 1536
  public var maxPositions = 512
  public var vocabularySize = 30522
  public var layerNormEpsilon: Float = 1e-12

  public init() {}

  enum CodingKeys: String, CodingKey {
    case hiddenSize = "hidden_size", layers = "num_hidden_layers", heads = "num_attention_heads"
    case intermediateSize = "intermediate_size", maxPositions = "max_position_embeddings"
    case vocabularySize = "vocab_size", layerNormEpsilon = "layer_norm_eps", hiddenAct = "hidden_act"
    case positionType = "position_embedding_type"
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    hiddenSize = try container.decode(Int.self, forKey: .hiddenSize)
    layers = try container.decode(Int.self, forKey: .layers)
    heads = try container.decode(Int.self, forKey: .heads)
    intermediateSize = try container.decode(Int.self, forKey: .intermediateSize)
    maxPositions = try container.decode(Int.self, forKey: .maxPositions)
    vocabularySize = try container.decode(Int.self, forKey: .vocabularySize)
    layerNormEpsilon = try container.decode(Float.self, forKey: .layerNormEpsilon)
    let activation = try container.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
    let positions = try container.decodeIfPresent(String.self, forKey: .positionType) ?? "absolute"
    guard activation == "gelu", positions == "absolute" else {
      throw DecodingError.dataCorruptedError(
        forKey: .hiddenAct, in: container,
        debugDescription: "unsupported hidden_act \(activation) / position_embedding_type \(positions)")
    }
  }

  /// Reads config.json; a missing file means the all-MiniLM-L6-v2 defaults.
  public static func load(path: String) throws -> BertConfiguration {
    guard FileManager.default.fileExists(atPath: path) else { return BertConfiguration() }
    do {
      let configuration = try JSONDecoder().decode(
        BertConfiguration.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
      guard configuration.heads > 0, configuration.hiddenSize % configuration.heads == 0,
        configuration.layers > 0, configuration.maxPositions >= 2
      else { throw TextEmbeddingError.invalidConfiguration(path: path, reason: "inconsistent sizes") }
      return configuration
    } catch let error as TextEmbeddingError {
      throw error
    } catch {
      throw TextEmbeddingError.invalidConfiguration(path: path, reason: "\(error)")
    }
  }
}

/// Immutable Float storage with a non-optional base address, lent out only inside `withPointer`.
final class FloatBuffer: @unchecked Sendable {
  private let start: UnsafeMutablePointer<Float>
  let count: Int

  init(_ values: [Float]) {
    count = values.count
    start = .allocate(capacity: max(values.count, 1))
    start.initialize(repeating: 0, count: max(values.count, 1))
    values.withUnsafeBufferPointer { source in
      if let source = source.baseAddress { start.update(from: source, count: values.count) }
    }
  }

  deinit { start.deallocate() }

  func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
    try withExtendedLifetime(self) { try body(start) }
  }
}

/// y = x · weightᵀ + bias with weight [outputs, inputs].
struct LinearWeights: Sendable {
  let weight: FloatBuffer
  let bias: FloatBuffer
  let inputs: Int
  let outputs: Int
}

struct LayerNormWeights: Sendable {
  let gamma: FloatBuffer
  let beta: FloatBuffer
}

struct BertLayerWeights: Sendable {
  let query: LinearWeights
  let key: LinearWeights
  let value: LinearWeights
  let attentionOutput: LinearWeights
  let attentionNorm: LayerNormWeights
  let intermediate: LinearWeights
  let output: LinearWeights
  let outputNorm: LayerNormWeights
}

struct BertWeights: Sendable {
  let configuration: BertConfiguration
  /// [vocabulary, hidden]
  let wordEmbeddings: FloatBuffer
  /// [maxPositions, hidden]
  let positionEmbeddings: FloatBuffer
  /// [hidden]: token type 0, the only one a single sentence uses.
  let tokenType0: FloatBuffer
  let embeddingNorm: LayerNormWeights
  let layers: [BertLayerWeights]

  init(file: SafeTensorsFile, configuration c: BertConfiguration) throws {
    let reader = WeightReader(file: file)
    configuration = c
    wordEmbeddings = FloatBuffer(
      try reader.tensor("embeddings.word_embeddings.weight", [c.vocabularySize, c.hiddenSize]))
    positionEmbeddings = FloatBuffer(
      try reader.tensor("embeddings.position_embeddings.weight", [c.maxPositions, c.hiddenSize]))
    let tokenTypes = try reader.tensor("embeddings.token_type_embeddings.weight", nil)
    guard tokenTypes.count >= c.hiddenSize else {
      throw TextEmbeddingError.invalidWeights(
        path: file.path, tensor: "embeddings.token_type_embeddings.weight", reason: "no row for token type 0")
    }
    tokenType0 = FloatBuffer(Array(tokenTypes.prefix(c.hiddenSize)))
    embeddingNorm = try reader.norm("embeddings.LayerNorm", c.hiddenSize)
    layers = try (0..<c.layers).map { try Self.layer($0, reader, c) }
  }

  private static func layer(_ index: Int, _ reader: WeightReader, _ c: BertConfiguration) throws
    -> BertLayerWeights
  {
    let prefix = "encoder.layer.\(index)."
    let hidden = c.hiddenSize
    return BertLayerWeights(
      query: try reader.linear(prefix + "attention.self.query", hidden, hidden),
      key: try reader.linear(prefix + "attention.self.key", hidden, hidden),
      value: try reader.linear(prefix + "attention.self.value", hidden, hidden),
      attentionOutput: try reader.linear(prefix + "attention.output.dense", hidden, hidden),
      attentionNorm: try reader.norm(prefix + "attention.output.LayerNorm", hidden),
      intermediate: try reader.linear(prefix + "intermediate.dense", hidden, c.intermediateSize),
      output: try reader.linear(prefix + "output.dense", c.intermediateSize, hidden),
      outputNorm: try reader.norm(prefix + "output.LayerNorm", hidden))
  }
}

/// Reads named Float tensors and checks their shapes.
private struct WeightReader {
  let file: SafeTensorsFile

  func tensor(_ name: String, _ shape: [Int]?) throws -> [Float] {
    guard let info = file.tensors[name] else {
      throw TextEmbeddingError.invalidWeights(path: file.path, tensor: name, reason: "missing")
    }
    if let shape, info.shape != shape {
      throw TextEmbeddingError.invalidWeights(
        path: file.path, tensor: name, reason: "shape \(info.shape), expected \(shape)")
    }
    do {
      return try file.floats(name)
    } catch {
      throw TextEmbeddingError.invalidWeights(path: file.path, tensor: name, reason: "\(error)")
    }
  }

  func linear(_ prefix: String, _ inputs: Int, _ outputs: Int) throws -> LinearWeights {
    LinearWeights(
      weight: FloatBuffer(try tensor(prefix + ".weight", [outputs, inputs])),
      bias: FloatBuffer(try tensor(prefix + ".bias", [outputs])), inputs: inputs, outputs: outputs)
  }

  func norm(_ prefix: String, _ size: Int) throws -> LayerNormWeights {
    LayerNormWeights(
      gamma: FloatBuffer(try tensor(prefix + ".weight", [size])),
      beta: FloatBuffer(try tensor(prefix + ".bias", [size])))
  }
}
