// The relational transformer's shape: width, blocks, heads, feed-forward width, context length, the width of the
// input embeddings (column names, vocabulary) and the loss constants. Codable (stored beside every checkpoint) and
// validated at the edge, so the model code can assume consistent sizes.
// Refuses: zero or negative sizes, a width that the heads do not divide.

/// Errors of the model layer: configuration and input shape problems, named with what was expected.
public enum ModelError: Error, Equatable, CustomStringConvertible {
  case invalidConfig(String)
  case invalidInput(what: String, detail: String)

  public var description: String {
    switch self {
    case .invalidConfig(let detail): return "invalid model configuration: \(detail)"
    case .invalidInput(let what, let detail): return "invalid model input \(what): \(detail)"
    }
  }
}

public struct ModelConfig: Codable, Sendable, Equatable {
  /// Model width d.
  public var width: Int
  public var blocks: Int
  public var heads: Int
  /// Hidden width of the SwiGLU feed-forward.
  public var ffnWidth: Int
  /// L: cells per context.
  public var contextLength: Int
  /// Width of the stored column-name and vocabulary embeddings (384 for MiniLM).
  public var embeddingWidth: Int
  /// InfoNCE temperature for categorical/text cells.
  public var temperature: Float
  /// Huber delta for numbers and timestamps.
  public var huberDelta: Float
  public var normEpsilon: Float

  public init(
    width: Int = 256, blocks: Int = 12, heads: Int = 8, ffnWidth: Int = 1024, contextLength: Int = 1024,
    embeddingWidth: Int = 384, temperature: Float = 0.1, huberDelta: Float = 1, normEpsilon: Float = 1e-6
  ) {
    (self.width, self.blocks, self.heads, self.ffnWidth) = (width, blocks, heads, ffnWidth)
    (self.contextLength, self.embeddingWidth) = (contextLength, embeddingWidth)
    (self.temperature, self.huberDelta, self.normEpsilon) = (temperature, huberDelta, normEpsilon)
  }

  /// The relational transformer's published size (about 22M parameters with MiniLM inputs).
  public static let rtSize = ModelConfig()

  public func validate() throws {
    let sizes = [
      ("width", width), ("blocks", blocks), ("heads", heads), ("ffnWidth", ffnWidth),
      ("contextLength", contextLength), ("embeddingWidth", embeddingWidth),
    ]
    for (name, value) in sizes where value <= 0 {
      throw ModelError.invalidConfig("\(name) must be positive, found \(value)")
    }
    guard width % heads == 0 else {
      throw ModelError.invalidConfig("width \(width) is not a multiple of heads \(heads)")
    }
    guard temperature > 0, huberDelta > 0, normEpsilon > 0 else {
      throw ModelError.invalidConfig("temperature, huberDelta and normEpsilon must be positive")
    }
  }

  /// Width of a cell's input feature row (see `CellFeatures`).
  public var featureWidth: Int { CellFeatures.width(embedding: embeddingWidth) }
}
