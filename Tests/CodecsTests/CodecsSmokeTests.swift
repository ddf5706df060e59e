import Testing

@testable import Codecs

@Test func moduleLinks() {
  #expect(Bool(true))
}
