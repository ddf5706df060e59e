// HashingEmbedder: deterministic, normalised, and similar strings are closer than unrelated ones.
import Testing

@testable import TextEmbedding

@Test func hashingEmbedderIsDeterministicAndNormalised() async throws {
  let embedder = HashingEmbedder(dimension: 64)
  let texts = ["name is Alice", "name is Alicia", "price is 12.5", ""]
  let first = try await embedder.embed(texts)
  let second = try await embedder.embed(texts.reversed())
  #expect(first.count == 4 && first.dimension == 64)
  for row in 0..<3 {
    let norm = first[row].reduce(0) { $0 + $1 * $1 }
    #expect(abs(norm - 1) < 1e-5)
    #expect(first[row] == second[3 - row])
  }
  #expect(first[3].allSatisfy { $0 == 0 })
  func dot(_ a: Int, _ b: Int) -> Float { zip(first[a], first[b]).reduce(0) { $0 + $1.0 * $1.1 } }
  #expect(dot(0, 1) > dot(0, 2))
  // FNV-1a test vectors (http://www.isthe.com/chongo/tech/comp/fnv/).
  #expect(HashingEmbedder.fnv1a([][...]) == 0xcbf2_9ce4_8422_2325)
  #expect(HashingEmbedder.fnv1a(Array("a".utf8)[...]) == 0xaf63_dc4c_8601_ec8c)
}
