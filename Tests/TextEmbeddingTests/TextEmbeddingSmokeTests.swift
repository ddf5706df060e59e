import Testing

@testable import TextEmbedding

@Test func moduleLinks() {
  #expect(Bool(true))
}
