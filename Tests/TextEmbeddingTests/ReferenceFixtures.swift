// Loads the fixtures written by tools/minilm_reference.py: token ids from Hugging Face `tokenizers` and
// float64-numpy embeddings, for the same strings.
import Foundation
import Testing

@testable import TextEmbedding

struct ReferenceCase: Decodable {
  let text: String
  let ids: [Int32]
}

struct ReferenceFixtures {
  let dimension: Int
  let maxLength: Int
  let cases: [ReferenceCase]
  /// cases.count x dimension, row-major.
  let embeddings: [Float]

  private struct Index: Decodable {
    let dimension: Int
    let max_length: Int
    let cases: [ReferenceCase]
  }

  static func load() throws -> ReferenceFixtures {
    let indexURL = try #require(
      Bundle.module.url(forResource: "minilm_reference", withExtension: "json", subdirectory: "Fixtures"))
    let vectorsURL = try #require(
      Bundle.module.url(forResource: "minilm_embeddings", withExtension: "f32", subdirectory: "Fixtures"))
    let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: indexURL))
    let raw = try Data(contentsOf: vectorsURL)
    try #require(raw.count == index.cases.count * index.dimension * 4)
    let embeddings = raw.withUnsafeBytes { bytes in
      (0..<(raw.count / 4)).map {
        Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
      }
    }
    return ReferenceFixtures(
      dimension: index.dimension, maxLength: index.max_length, cases: index.cases, embeddings: embeddings)
  }

  func expected(_ row: Int) -> ArraySlice<Float> {
    embeddings[(row * dimension)..<((row + 1) * dimension)]
  }
}

/// The real model files, found as the CLI finds them (CI installs them through scripts/setup.sh).
enum ModelFiles {
  static func locate() throws -> MiniLMFiles { try MiniLMLocator.locate() }
}
