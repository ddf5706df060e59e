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

/// y = x · weightᵀ + bias with weight [outputs, inputs] (engine tensors, PyTorch layout).
struct LinearWeights: Sendable {
  let weight: Tensor
  let bias: Tensor
}

struct LayerNormWeights: Sendable {
  let gamma: Tensor
  let beta: Tensor
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

/// The encoder's weights as host tensors of the engine; read-only once loaded, shared by every worker.
struct BertWeights: Sendable {
  let configuration: BertConfiguration
  /// [vocabulary, hidden]
  let wordEmbeddings: Tensor
  /// [maxPositions, hidden]: position embedding plus the token type 0 embedding (a single sentence uses no
  /// other type), added once at load.
  let positionAndType: Tensor
  let embeddingNorm: LayerNormWeights
  let layers: [BertLayerWeights]

  init(file: SafeTensorsFile, configuration c: BertConfiguration, backend: any Backend) throws {
    let reader = WeightReader(file: file, backend: backend)
    configuration = c
    wordEmbeddings = try reader.tensor("embeddings.word_embeddings.weight", [c.vocabularySize, c.hiddenSize])
    let positions = try reader.floats(
      "embeddings.position_embeddings.weight", [c.maxPositions, c.hiddenSize])
    let tokenTypes = try reader.floats("embeddings.token_type_embeddings.weight", nil)
    guard tokenTypes.count >= c.hiddenSize else {
      throw TextEmbeddingError.invalidWeights(
        path: file.path, tensor: "embeddings.token_type_embeddings.weight", reason: "no row for token type 0")
    }
    var summed = positions
    for index in summed.indices { summed[index] += tokenTypes[index % c.hiddenSize] }
    positionAndType = try backend.tensor(summed, shape: [c.maxPositions, c.hiddenSize])
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

/// Reads named Float tensors, checks their shapes, and places them on the backend.
private struct WeightReader {
  let file: SafeTensorsFile
  let backend: any Backend

  func floats(_ name: String, _ shape: [Int]?) throws -> [Float] {
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

  func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
    let values = try floats(name, shape)
    do {
      return try backend.tensor(values, shape: shape)
    } catch {
      throw TextEmbeddingError.invalidWeights(path: file.path, tensor: name, reason: "\(error)")
    }
  }

  func linear(_ prefix: String, _ inputs: Int, _ outputs: Int) throws -> LinearWeights {
    LinearWeights(
      weight: try tensor(prefix + ".weight", [outputs, inputs]), bias: try tensor(prefix + ".bias", [outputs])
    )
  }

  func norm(_ prefix: String, _ size: Int) throws -> LayerNormWeights {
    LayerNormWeights(
      gamma: try tensor(prefix + ".weight", [size]), beta: try tensor(prefix + ".bias", [size]))
  }
}
