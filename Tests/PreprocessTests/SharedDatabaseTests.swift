import Foundation
import Logging
import Store
import TestSupport
import Testing
import TextEmbedding

@testable import Preprocess

let sharedDatabases = TestPaths.sharedDatabases
private let expectedDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Fixtures/expected")

/// Written by tools/preprocess_expect.py with pyarrow + numpy, independently of the Swift code.
struct Expected: Decodable {
  struct Table: Decodable {
    var name: String
    var rows: Int
    var columns: [String: Column]
    var samples: [Sample]
  }
  struct Sample: Decodable {
    var row: Int
    var cells: [String: Cell]
  }
  enum Cell: Decodable {
    case null, number(Double), text(String)
    init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if c.decodeNil() {
        self = .null
      } else if let number = try? c.decode(Double.self) {
        self = .number(number)
      } else {
        self = .text(try c.decode(String.self))
      }
    }
  }
  struct Column: Decodable {
    var type: String
    var nulls: Int
    var mean: Double?
    var std: Double?
    var distinct: Int?
  }
  struct Edge: Decodable {
    var child: String
    var columns: [String]
    var parent: String
    var edges: Int
    var dangling: Int
    var null_keys: Int
  }
  struct Task: Decodable {
    var name: String
    var examples: Int
    var split_counts: [String: Int]
    var dangling: Int
    var label_mean: Double?
    var label_std: Double?
    var positive_rate: [String: Double]?
  }
  struct Time: Decodable {
    var count: Int
    var mean: Double
    var std: Double
  }
  var tables: [Table]
  var edges: [Edge]
  var tasks: [Task]
  var time: Time
  var vocabulary_size: Int
}

func preprocess(_ database: URL, threads: Int = 2) async throws -> (ProcessedDatabase, URL) {
  let out = TemporaryFiles.url("processed")
  let preprocessor = Preprocessor(
    databaseDirectory: database, embedder: HashingEmbedder(dimension: 8),
    options: PreprocessOptions(threads: threads, cacheDirectory: nil), logger: Logger(label: "test"))
  _ = try await preprocessor.run(outputDirectory: out)
  return (try ProcessedDatabase(directory: out), out)
}

private func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
  abs(a - b) <= relative * max(1, abs(a), abs(b))
}

@Test(
  .removesTemporaryFiles, arguments: ["f1", "nycflights13", "movielens-small", "history-meta-stackexchange"])
func statisticsMatchPyarrow(name: String) async throws {
  let expected = try JSONDecoder().decode(
    Expected.self, from: Data(contentsOf: expectedDirectory.appendingPathComponent("\(name).json")))
  let (db, _) = try await preprocess(sharedDatabases.appendingPathComponent(name))
  let m = db.metadata
  #expect(m.tables.map(\.rows) == expected.tables.map(\.rows))
  for (table, want) in zip(m.tables, expected.tables) {
    for column in table.columns {
      let reference = try #require(want.columns[column.name], "\(table.name).\(column.name)")
      #expect(column.nullCount == reference.nulls, "\(table.name).\(column.name) nulls")
      if let stats = column.statistics {
        #expect(close(stats.mean, reference.mean ?? .nan), "\(table.name).\(column.name) mean")
        #expect(close(stats.std, reference.std ?? .nan, relative: 1e-7), "\(table.name).\(column.name) std")
      }
      #expect(column.distinctValues == reference.distinct, "\(table.name).\(column.name) distinct")
    }
  }
  try checkDecodedSamples(db, expected)
  #expect(m.graph.edgeTypes.map(\.edges) == expected.edges.map(\.edges))
  #expect(m.graph.edgeTypes.map(\.dangling) == expected.edges.map(\.dangling))
  #expect(m.graph.edgeTypes.map(\.nullKeys) == expected.edges.map(\.null_keys))
  #expect(m.time.count == expected.time.count)
  #expect(
    close(m.time.meanMicros, expected.time.mean)
      && close(m.time.scaleMicros, expected.time.std, relative: 1e-7))
  #expect(m.vocabularySize == expected.vocabulary_size)
  for (task, want) in zip(m.tasks, expected.tasks) {
    #expect(task.examples == want.examples, "\(task.name)")
    #expect(task.splitCounts == want.split_counts, "\(task.name)")
    #expect(task.danglingEntities == want.dangling, "\(task.name)")
    if let mean = want.label_mean, let std = want.label_std {
      #expect(
        close(task.labelStatistics?.mean ?? .nan, mean)
          && close(task.labelStatistics?.std ?? .nan, std, relative: 1e-7))
    }
    #expect(
      task.positiveRate.map { $0.mapValues { ($0 * 1e9).rounded() } }
        == want.positive_rate.map { $0.mapValues { ($0 * 1e9).rounded() } })
  }
}

/// Rows decoded back from the processed files equal pyarrow's values (numbers to f32 z-score precision).
private func checkDecodedSamples(_ db: ProcessedDatabase, _ expected: Expected) throws {
  for table in expected.tables {
    for sample in table.samples {
      let decoded = try db.decodeRow(table: table.name, row: sample.row)
      for cell in decoded.cells {
        let place = "\(table.name)[\(sample.row)].\(cell.column)"
        switch sample.cells[cell.column] {
        case .null?: #expect(cell.value == nil, "\(place)")
        case .text(let text)?: #expect(cell.value == text, "\(place)")
        case .number(let number)?:
          let statistics = db.metadata.tables.first { $0.name == table.name }?.columns
            .first { $0.name == cell.column }?.statistics
          let (mean, scale) = (statistics?.mean ?? 0, statistics?.scale ?? 1)
          let ours = Double(cell.value ?? "") ?? .nan
          // f32 z-scores carry ~7 significant digits of (x - mean) / scale; rendering keeps 7 digits of x.
          let tolerance = 1e-6 * (abs(number - mean) + scale) + 1e-6 * abs(number)
          #expect(abs(ours - number) <= tolerance, "\(place): \(ours) vs \(number)")
        case nil: Issue.record("\(place): no expectation")
        }
      }
    }
  }
}
