// Embedder names a worker resolves: `hashing` (fast, deterministic: tests and load tests) and, when a loader
// is given, `minilm`. `SlowEmbedder` wraps another embedder with a fixed pause per call, so tests can stop a
// worker in the middle of a job.
// Refuses: unknown embedder names (a JobSpecError naming `embed.embedder`).
import Foundation
import TextEmbedding

public enum EmbedderCatalog {
  /// Resolves names to embedders; `minilm` loads through `minilm` (nil: not available here).
  public static func resolver(
    hashingDimension: Int = 384, minilm: (@Sendable () throws -> any TextEmbedder)? = nil
  ) -> @Sendable (String) throws -> any TextEmbedder {
    { name in
      switch name {
      case "hashing": return HashingEmbedder(dimension: hashingDimension)
      case "minilm":
        guard let minilm else { throw JobSpecError(field: "embed.embedder", "minilm is not available here") }
        return try minilm()
      default:
        throw JobSpecError(field: "embed.embedder", "unknown embedder '\(name)' (expected minilm or hashing)")
      }
    }
  }
}

public struct SlowEmbedder: TextEmbedder {
  public let base: any TextEmbedder
  public let pause: Duration
  public var name: String { base.name }
  public var dimension: Int { base.dimension }
  public func tokenCount(_ text: String) -> Int? { base.tokenCount(text) }

  public init(_ base: any TextEmbedder, pause: Duration) {
    self.base = base
    self.pause = pause
  }

  public func embed(_ texts: [String]) async throws -> EmbeddingMatrix {
    try await Task.sleep(for: pause)
    return try await base.embed(texts)
  }
}
