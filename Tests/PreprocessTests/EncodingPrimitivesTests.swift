import Foundation
import Store
import TestSupport
import Testing

@testable import Preprocess

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
  "Fixtures")

private struct FeatureCase: Decodable {
  var iso: String
  var micros: Int64
  var features: [Double]
}

/// Reference values come from Python's datetime (tools/make_timestamp_features.py).
@Test func cyclicTimestampFeaturesMatchPythonDatetime() throws {
  let data = try Data(contentsOf: fixtures.appendingPathComponent("timestamp_features.json"))
  let cases = try JSONDecoder().decode([FeatureCase].self, from: data)
  #expect(cases.count >= 8)
  var out = [Float](repeating: .nan, count: TimestampFeatures.cyclicCount)
  for testCase in cases {
    out.withUnsafeMutableBufferPointer { TimestampFeatures.cyclic(testCase.micros, into: $0.baseAddress!) }
    for (index, (ours, reference)) in zip(out, testCase.features).enumerated() {
      #expect(
        abs(Double(ours) - reference) < 1e-6, "\(testCase.iso) feature \(index): \(ours) vs \(reference)")
    }
  }
}

@Test func cyclicFeaturesOfTheExtremeTimestampsAreFinite() {
  // Int64.min is also the "no time" marker; values within a day of it once trapped (the day's start overflows).
  var out = [Float](repeating: .nan, count: TimestampFeatures.cyclicCount)
  for micros in [Int64.min, Int64.min + 1, Int64.min + 86_400_000_000 - 1, Int64.max, -1, 0] {
    out.withUnsafeMutableBufferPointer { TimestampFeatures.cyclic(micros, into: $0.baseAddress!) }
    #expect(out.allSatisfy { $0.isFinite && abs($0) <= 1 }, "\(micros): \(out)")
  }
}

@Test func statisticsMatchTheTextbookFormulas() {
  var statistics = ColumnStatistics()
  for value in [2.0, 4, 4, 4, 5, 5, 7, 9, .nan, .infinity] { statistics.add(value) }
  #expect(statistics.count == 8)
  #expect(statistics.nonFiniteCount == 2)
  #expect(statistics.mean == 5)
  #expect(abs(statistics.std - 2) < 1e-12)
  #expect(statistics.zScore(9) == 2)
  #expect(statistics.unscale(-1.5) == 2)
  var constant = ColumnStatistics()
  for _ in 0..<3 { constant.add(42) }
  #expect(constant.scale == 1)
  #expect(constant.zScore(42) == 0)
}

@Test func keyIndexResolvesCompositeKeysAndConfirmsBytes() throws {
  let origin = KeyPart.strings(offsets: [0, 3, 6, 9], data: Array("JFKLGAJFK".utf8))
  let hour = KeyPart.integers([10, 10, 11])
  let index = try KeyIndex(parts: [origin, hour], valid: { _ in true })
  #expect(index.count == 3)
  let foreignOrigin = KeyPart.strings(offsets: [0, 3, 6, 9, 12], data: Array("JFKJFKLGAEWR".utf8))
  let foreignHour = KeyPart.integers([11, 10, 10, 10])
  #expect(index.lookup([foreignOrigin, foreignHour], row: 0) == 2)
  #expect(index.lookup([foreignOrigin, foreignHour], row: 1) == 0)
  #expect(index.lookup([foreignOrigin, foreignHour], row: 2) == 1)
  #expect(index.lookup([foreignOrigin, foreignHour], row: 3) == nil)
}

@Test func keyIndexRejectsDuplicatesButSkipsNulls() {
  #expect(throws: KeyIndexError.duplicate(firstRow: 0, secondRow: 2)) {
    try KeyIndex(parts: [.integers([5, 6, 5])], valid: { _ in true })
  }
  #expect(throws: Never.self) { try KeyIndex(parts: [.integers([5, 6, 5])], valid: { $0 != 2 }) }
}

@Test func graphHasBothDirectionsWithChildrenInTimeOrder() {
  // Table 0: two parents (static). Table 1: four children with times 30, 10, 20, 5.
  let times: [Int64] = [RowGraph.staticTime, RowGraph.staticTime, 30, 10, 20, 5]
  var builder = RowGraphBuilder(tableRowCounts: [2, 4], nodeTime: times)
  for (childRow, parentRow) in [(0, 0), (1, 0), (2, 0), (3, 1)] {
    builder.addEdge(
      child: builder.node(table: 1, row: childRow), parent: builder.node(table: 0, row: parentRow), type: 0)
  }
  let graph = builder.build(edgeTypes: [EdgeType(childTable: 1, foreignKeyColumns: ["p"], parentTable: 0)])
  #expect(graph.tableOffsets == [0, 2, 6])
  #expect(graph.edgeCount == 4)
  let childrenOf0 = graph.children.neighbours(of: 0).map { graph.children.nodes[$0] }
  #expect(childrenOf0 == [3, 4, 2])
  #expect(graph.children.neighbours(of: 1).map { graph.children.nodes[$0] } == [5])
  for child in 2...5 {
    #expect(graph.parents.neighbours(of: child).count == 1)
  }
  #expect(graph.parents.nodes[graph.parents.neighbours(of: 5).lowerBound] == 1)
}

@Test func vocabularyDistinguishesColumnsForCategoriesButNotForText() {
  var vocabulary = VocabularyBuilder()
  let a = vocabulary.id(value: "red", columnName: "color", type: .categorical, column: 0)
  let b = vocabulary.id(value: "red", columnName: "paint", type: .categorical, column: 1)
  let c = vocabulary.id(value: "red", columnName: "color", type: .categorical, column: 0)
  let d = vocabulary.id(value: "a long text", columnName: "body", type: .text, column: 2)
  let e = vocabulary.id(value: "a long text", columnName: "title", type: .text, column: 3)
  #expect([a, b, c, d, e] == [0, 1, 0, 2, 2])
  #expect(vocabulary.entries[1].text == "paint is red")
  #expect(vocabulary.entries[2].text == "a long text")
}

@Test(.removesTemporaryFiles) func embeddingCacheSurvivesReopenAndATornTail() throws {
  let directory = TemporaryFiles.url("cache")
  do {
    let cache = try EmbeddingCache(directory: directory, embedderName: "test/model", dimension: 3)
    try cache.store("hello", [1, 2, 3])
    try cache.store("wörld", [-1, 0.5, 0])
  }
  let path = try EmbeddingCache(directory: directory, embedderName: "test/model", dimension: 3).path
  let handle = try #require(FileHandle(forWritingAtPath: path))
  try handle.seekToEnd()
  try handle.write(contentsOf: [9, 0, 0, 0, 65])  // a record cut short by a crash
  try handle.close()
  let reopened = try EmbeddingCache(directory: directory, embedderName: "test/model", dimension: 3)
  #expect(reopened.count == 2)
  #expect(reopened.vector(for: "wörld") == [-1, 0.5, 0])
  try reopened.store("again", [7, 8, 9])
  let third = try EmbeddingCache(directory: directory, embedderName: "test/model", dimension: 3)
  #expect(third.count == 3)
  #expect(third.vector(for: "again") == [7, 8, 9])
}
