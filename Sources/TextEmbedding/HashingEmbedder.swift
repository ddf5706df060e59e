// A deterministic stand-in embedder for tests of later layers that must not load the model: lower-cased
// alphanumeric words (and their character trigrams) are hashed (FNV-1a, stable across runs and machines, unlike
// Swift's seeded Hasher) into signed buckets, and the vector is L2-normalised. Similar strings get similar vectors;
// the empty string gets the zero vector.
// Refuses: to carry meaning; it is not a language model.
import Foundation

public struct HashingEmbedder: TextEmbedder {
  public let name = "hashing"
  public let dimension: Int

  public init(dimension: Int = 384) {
    self.dimension = max(1, dimension)
  }

  public func embed(_ texts: [String]) async throws -> EmbeddingMatrix {
    var values = [Float](repeating: 0, count: texts.count * dimension)
    values.withUnsafeMutableBufferPointer { buffer in
      for (row, text) in texts.enumerated() {
        embed(
          text,
          into: UnsafeMutableBufferPointer(rebasing: buffer[(row * dimension)..<((row + 1) * dimension)]))
      }
    }
    return try EmbeddingMatrix(count: texts.count, dimension: dimension, values: values)
  }

  /// Its tokens are the words it hashes.
  public func tokenCount(_ text: String) -> Int? { Self.words(text).count }

  private static func words(_ text: String) -> [Substring] {
    text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
  }

  func embed(_ text: String, into vector: UnsafeMutableBufferPointer<Float>) {
    for word in Self.words(text) {
      let bytes = Array(word.utf8)
      add(Self.fnv1a(bytes[...]), weight: 1, to: vector)
      guard bytes.count > 3 else { continue }
      for start in 0...(bytes.count - 3) {
        add(Self.fnv1a(bytes[start..<(start + 3)]), weight: 0.5, to: vector)
      }
    }
    var norm: Float = 0
    for value in vector { norm += value * value }
    guard norm > 0 else { return }
    let inverse = 1 / norm.squareRoot()
    for index in vector.indices { vector[index] *= inverse }
  }

  private func add(_ hash: UInt64, weight: Float, to vector: UnsafeMutableBufferPointer<Float>) {
    let bucket = Int(hash % UInt64(dimension))
    vector[bucket] += (hash >> 63) == 0 ? weight : -weight
  }

  static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return hash
  }
}
