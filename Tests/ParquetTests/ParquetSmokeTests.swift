import Testing

@testable import Parquet

@Test func moduleLinks() {
  #expect(Bool(true))
}
