// Where the model's fixed input vectors come from: column-name embeddings (by column id) and vocabulary
// embeddings (by vocabulary id), both of the embedder's width. A dense in-memory table serves tests and small
// databases; ids past a table's end read as zeros for columns (the task columns have no stored name embedding:
// the type and mask features tell them apart) and are refused for the vocabulary.

public struct EmbeddingTable: Sendable {
  public let width: Int
  public let values: [Float]

  public init(width: Int, values: [Float]) throws {
    guard width > 0, values.count % width == 0 else {
      throw ModelError.invalidInput(what: "embedding table", detail: "\(values.count) values, width \(width)")
    }
    (self.width, self.values) = (width, values)
  }

  public var count: Int { values.count / width }

  /// Copies row `id` into `destination` (zeros when `id` is out of range and `zeroIfMissing`).
  @inline(__always)
  func copyRow(_ id: Int, into destination: UnsafeMutablePointer<Float>, zeroIfMissing: Bool) throws {
    guard id >= 0, id < count else {
      guard zeroIfMissing else {
        throw ModelError.invalidInput(what: "vocabulary id", detail: "\(id) outside 0..<\(count)")
      }
      destination.update(repeating: 0, count: width)
      return
    }
    values.withUnsafeBufferPointer { v in
      guard let base = v.baseAddress else { return }
      destination.update(from: base + id * width, count: width)
    }
  }
}

/// The two tables the model reads.
public struct ModelEmbeddings: Sendable {
  public let columns: EmbeddingTable
  public let vocabulary: EmbeddingTable

  public init(columns: EmbeddingTable, vocabulary: EmbeddingTable) throws {
    guard columns.width == vocabulary.width else {
      throw ModelError.invalidInput(
        what: "embeddings", detail: "column width \(columns.width) != vocabulary width \(vocabulary.width)")
    }
    (self.columns, self.vocabulary) = (columns, vocabulary)
  }

  public var width: Int { columns.width }
}
