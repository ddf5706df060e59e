// The parts of preprocessing that run in parallel or stream: timestamps' scaled time written a block of rows at a
// time (checked row by row; the exact µs beside it, no cyclic features: the sampler computes those), child lists sorted by
// workers (checked against a plain stable sort), and whole outputs byte-identical for any number of threads.
import Foundation
import Store
import TestSupport
import Testing

@testable import Preprocess

@Test(.removesTemporaryFiles, arguments: [1, 3])
func streamedTimestampFeaturesMatchEachRowsOwn(threads: Int) throws {
  // More rows than one block, so the scaled time crosses a block boundary; every 7th row null.
  let rows = TableFileWriter.blockRows + 1_000
  let micros = (0..<rows).map { Int64($0 % 5_000) * 3_600_000_123 - 86_400_000_000 * 365 }
  var validity = [UInt8](repeating: 0, count: (rows + 7) / 8)
  for row in 0..<rows where row % 7 != 3 { validity[row >> 3] |= 1 << UInt8(row & 7) }
  let scale = TimeScale(meanMicros: 1.5e15, scaleMicros: 2.5e13, minMicros: nil, maxMicros: nil, count: 1)
  let path = TemporaryFiles.url("stream").path
  let writer = try TableFileWriter(
    path: path, relativePath: "t.bin", rowCount: rows, timeScale: scale, threads: threads)
  let column = EncodedColumn(
    spec: .init(name: "t", type: .timestamp), validity: validity, nullCount: 0,
    payload: .timestamps(micros: micros), statistics: nil)
  try writer.addColumn(0, column, vocabularyIds: nil)
  _ = try writer.finish()
  let file = try ContainerReader(path: path, expecting: .table)
  let stored = try file.array("c0.micros", as: Int64.self)
  let time = try file.array("c0.time", as: Float.self)
  #expect(file.sections["c0.cyclic"] == nil, "cyclic features are the sampler's, not stored")
  var mismatches = 0
  for row in 0..<rows {
    let valid = row % 7 != 3
    let expectedTime = valid ? Float((Double(micros[row]) - 1.5e15) / 2.5e13) : 0
    if time[row] != expectedTime || (valid && stored[row] != micros[row]) { mismatches += 1 }
  }
  #expect(mismatches == 0)
}

@Test func childListsAreSortedByTimeThenNodeStablyForAnyThreadCount() {
  // One parent with 200 children (longer than the insertion-sort limit) and 300 parents with 3 each; times repeat
  // and one child links twice to the same parent (two edge types), a tie that must keep edge order.
  let parents = 301
  let children = 200 + 900
  let times =
    [Int64](repeating: RowGraph.staticTime, count: parents) + (0..<children).map { Int64(($0 * 37) % 11) }
  func parent(of child: Int) -> Int { child < 200 ? 0 : 1 + (child - 200) / 3 }
  func build(threads: Int) -> RowGraph {
    var builder = RowGraphBuilder(tableRowCounts: [parents, children], nodeTime: times)
    for child in 0..<children {
      builder.addEdge(
        child: builder.node(table: 1, row: child), parent: builder.node(table: 0, row: parent(of: child)),
        type: 0)
    }
    builder.addEdge(child: builder.node(table: 1, row: 5), parent: builder.node(table: 0, row: 0), type: 1)
    let types = [0, 1].map { _ in EdgeType(childTable: 1, foreignKeyColumns: ["p"], parentTable: 0) }
    return builder.build(edgeTypes: types, threads: threads)
  }
  let one = build(threads: 1)
  #expect(one.children == build(threads: 2).children)
  #expect(one.children == build(threads: 5).children)
  // Reference: each parent's edges in the order they were added, sorted by (time, node, position added).
  var added = [[(node: UInt32, type: UInt16)]](repeating: [], count: parents)
  for child in 0..<children { added[parent(of: child)].append((UInt32(parents + child), 0)) }
  added[0].append((UInt32(parents + 5), 1))
  for parent in 0..<parents {
    let expected = added[parent].enumerated().sorted {
      (times[Int($0.element.node)], $0.element.node, $0.offset)
        < (times[Int($1.element.node)], $1.element.node, $1.offset)
    }.map(\.element)
    let range = one.children.neighbours(of: parent)
    #expect(range.map { one.children.nodes[$0] } == expected.map(\.node), "parent \(parent)")
    #expect(range.map { one.children.edgeTypes[$0] } == expected.map(\.type), "parent \(parent)")
  }
}

@Test(.removesTemporaryFiles) func everyFileIsByteIdenticalForOneTwoAndThreeThreads() async throws {
  let database = sharedDatabases.appendingPathComponent("f1")
  let (_, one) = try await preprocess(database, threads: 1)
  for threads in [2, 3] {
    let (_, other) = try await preprocess(database, threads: threads)
    let files = try FileManager.default.subpathsOfDirectory(atPath: one.path).sorted()
    #expect(files == (try FileManager.default.subpathsOfDirectory(atPath: other.path).sorted()))
    #expect(files.contains("graph.bin") && files.contains("tables/results.bin"))
    for file in files where file.hasSuffix(".bin") || file.hasSuffix(".json") {
      let a = try Data(contentsOf: one.appendingPathComponent(file))
      let b = try Data(contentsOf: other.appendingPathComponent(file))
      #expect(a == b, "\(file) differs between 1 and \(threads) threads")
    }
  }
}
