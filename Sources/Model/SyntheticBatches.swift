// Synthetic relational batches (tests, `tributary bench model`): each context is one parent row (table 0: a
// number x, a boolean x > 0, a category = quartile bucket of x) and up to three child rows (table 1: a number
// y = x + small noise) whose parent is row 0. Some cells are masked with their loss set, so every loss kind is exercised
// and a learning model can recover a masked cell from the others of its row (feature attention) and from its
// children (neighbour attention). Deterministic per seed.
import Tensor

public struct SyntheticBatches: Sendable {
  public static let embeddingWidth = 8
  public let embeddings: ModelEmbeddings

  public init() throws {
    var rng = SplitMix64(seed: 7)
    let e = Self.embeddingWidth
    embeddings = try ModelEmbeddings(
      columns: EmbeddingTable(width: e, values: (0..<(4 * e)).map { _ in rng.nextNormal() * 0.5 }),
      vocabulary: EmbeddingTable(width: e, values: (0..<(4 * e)).map { _ in rng.nextNormal() * 0.5 }))
  }

  public static func bucket(_ x: Float) -> Int32 { x < -0.67 ? 0 : x < 0 ? 1 : x < 0.67 ? 2 : 3 }

  /// `mask`: which parent cell to hide per context (0 number, 1 boolean, 2 category), cycling when nil.
  public func batch(seed: UInt64, batchSize: Int, contextLength: Int, mask: Int? = nil) -> CellFields {
    var rng = SplitMix64(seed: seed)
    var f = CellFields(batchSize: batchSize, contextLength: contextLength, maxParents: 1)
    for b in 0..<batchSize {
      let x = rng.nextNormal()
      let base = b * contextLength
      var cell = 0
      func add(
        row: Int32, column: Int32, type: UInt8, number: Float = 0, boolean: Float = 0, vocab: Int32 = -1
      ) {
        guard cell < contextLength else { return }
        let i = base + cell
        (f.row[i], f.column[i], f.type[i]) = (row, column, type)
        (f.number[i], f.boolean[i], f.vocabulary[i]) = (number, boolean, vocab)
        cell += 1
      }
      add(row: 0, column: 0, type: 1, number: x)
      add(row: 0, column: 1, type: 3, boolean: x > 0 ? 1 : 0)
      add(row: 0, column: 2, type: 4, vocab: Self.bucket(x))
      let children = 1 + Int(rng.next() % 3)
      for c in 1...children {
        add(row: Int32(c), column: 3, type: 1, number: x + rng.nextNormal() * 0.1)
        f.rowParents[base + c] = 0
      }
      let hidden = base + (mask ?? (b % 3))
      f.masked[hidden] = 1
      f.loss[hidden] = f.type[hidden]
      f.labelNumber[hidden] = f.type[hidden] == 3 ? f.boolean[hidden] : f.number[hidden]
      f.labelVocabulary[hidden] = f.vocabulary[hidden]
      (f.number[hidden], f.boolean[hidden], f.vocabulary[hidden]) = (0, 0, -1)
    }
    return f
  }
}

extension SyntheticBatches {
  /// A batch of the same relational shape at any size (benchmarks): contexts filled with parent/child groups
  /// of `embeddingWidth`-wide inputs, one masked cell per group.
  public static func filled(
    seed: UInt64, batchSize: Int, contextLength: Int, embeddingWidth: Int
  ) throws -> (CellFields, ModelEmbeddings) {
    var rng = SplitMix64(seed: seed)
    let e = embeddingWidth
    let embeddings = try ModelEmbeddings(
      columns: EmbeddingTable(width: e, values: (0..<(8 * e)).map { _ in rng.nextNormal() * 0.05 }),
      vocabulary: EmbeddingTable(width: e, values: (0..<(64 * e)).map { _ in rng.nextNormal() * 0.05 }))
    var f = CellFields(batchSize: batchSize, contextLength: contextLength, maxParents: 1)
    for b in 0..<batchSize {
      var row: Int32 = 0
      var i = 0
      while i + 6 <= contextLength {
        let parent = row
        let x = rng.nextNormal()
        let cells: [(UInt8, Int32)] = [(1, 0), (3, 1), (4, 2), (1, 3), (1, 3), (2, 4)]
        for (k, (type, column)) in cells.enumerated() {
          let c = b * contextLength + i + k
          f.type[c] = type
          f.column[c] = column
          f.row[c] = k < 3 ? parent : parent + Int32(k - 2)
          f.number[c] = type == 1 ? x : 0
          f.boolean[c] = type == 3 ? (x > 0 ? 1 : 0) : 0
          f.vocabulary[c] = type == 4 ? Int32(rng.next() % 64) : -1
          f.timestamp[c * CellFields.timestampWidth] = type == 2 ? x : 0
        }
        for child in 1...3 { f.rowParents[b * contextLength + Int(parent) + child] = parent }
        let hidden = b * contextLength + i + Int(rng.next() % 3)
        f.masked[hidden] = 1
        f.loss[hidden] = f.type[hidden]
        f.labelNumber[hidden] = f.type[hidden] == 3 ? f.boolean[hidden] : f.number[hidden]
        f.labelVocabulary[hidden] = f.vocabulary[hidden]
        (f.number[hidden], f.boolean[hidden], f.vocabulary[hidden]) = (0, 0, -1)
        row += 4
        i += 6
      }
    }
    return (f, embeddings)
  }
}
