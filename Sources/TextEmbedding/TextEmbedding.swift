// The TextEmbedder interface and its result type. Results are one flat row-major Float array, so embedding
// hundreds of thousands of strings allocates one buffer, not one array per string.
// Refuses: nothing; implementations document their own limits.
import Foundation

/// Turns strings into fixed-size vectors.
public protocol TextEmbedder: Sendable {
  var name: String { get }
  var dimension: Int { get }
  /// One row per text, in the order given.
  func embed(_ texts: [String]) async throws -> EmbeddingMatrix
  /// The tokens the model reads for `text` (after truncation), for throughput figures; nil when not counted.
  func tokenCount(_ text: String) -> Int?
}

extension TextEmbedder {
  public func tokenCount(_ text: String) -> Int? { nil }
}

/// `count` vectors of `dimension` Floats, row-major.
public struct EmbeddingMatrix: Sendable, Equatable {
  public let count: Int
  public let dimension: Int
  public var values: [Float]

  public init(count: Int, dimension: Int, values: [Float]) throws {
    guard count >= 0, dimension >= 0, values.count == count * dimension else {
      throw TextEmbeddingError.invalidMatrix(count: count, dimension: dimension, values: values.count)
    }
    self.count = count
    self.dimension = dimension
    self.values = values
  }

  /// An empty matrix.
  public init(dimension: Int) {
    self.count = 0
    self.dimension = max(0, dimension)
    self.values = []
  }

  public subscript(row: Int) -> ArraySlice<Float> {
    values[(row * dimension)..<((row + 1) * dimension)]
  }

  /// Per-row arrays, for callers off the hot path (tests, printing).
  public var rows: [[Float]] { (0..<count).map { Array(self[$0]) } }
}
