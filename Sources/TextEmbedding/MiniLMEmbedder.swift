// all-MiniLM-L6-v2 (sentence-transformers) natively: WordPiece tokens -> 6-layer BERT -> mean pooling ->
// L2 normalisation, 384 dimensions, at most 256 tokens per text (longer texts are truncated, as
// sentence-transformers does).
// Batching: texts are tokenized, sorted by length and cut into batches of about `tokensPerBatch` tokens; a
// bounded window of `workers` batches runs concurrently and every vector is written back at its caller's index.
// Refuses: to download weights (see MiniLMLocator for where they are looked for).
import Foundation
import Logging
import Tensor

public struct MiniLMEmbedder: TextEmbedder {
  public let name = "all-MiniLM-L6-v2"
  public let tokenizer: WordPieceTokenizer
  public let workers: Int
  public let tokensPerBatch: Int
  let encoder: BertEncoder
  private static let logger = Logger(label: "tributary.textembedding")

  public var dimension: Int { encoder.hidden }

  /// Loads the weights found by `MiniLMLocator`.
  public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, tokensPerBatch: Int = 2048) throws
  {
    try self.init(files: MiniLMLocator.locate(), workers: workers, tokensPerBatch: tokensPerBatch)
  }

  public init(
    files: MiniLMFiles, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    tokensPerBatch: Int = 2048
  ) throws {
    let configuration = try BertConfiguration.load(path: files.directory + "/config.json")
    let maxLength = min(256, configuration.maxPositions)
    let tokenizer = try WordPieceTokenizer(vocabularyFile: files.vocabulary, maxLength: maxLength)
    guard tokenizer.vocabularySize <= configuration.vocabularySize else {
      throw TextEmbeddingError.invalidVocabulary(
        path: files.vocabulary,
        reason: "\(tokenizer.vocabularySize) tokens, the model embeds \(configuration.vocabularySize)")
    }
    let file: SafeTensorsFile
    do {
      file = try SafeTensorsFile(path: files.weights)
    } catch {
      throw TextEmbeddingError.unreadableFile(path: files.weights, reason: "\(error)")
    }
    self.tokenizer = tokenizer
    self.encoder = BertEncoder(weights: try BertWeights(file: file, configuration: configuration))
    self.workers = max(1, workers)
    self.tokensPerBatch = max(maxLength, tokensPerBatch)
    Self.logger.debug("loaded all-MiniLM-L6-v2 from \(files.directory)")
  }

  public func embed(_ texts: [String]) async throws -> EmbeddingMatrix {
    await embed(tokenized: texts.map(tokenizer.encode))
  }

  /// Embeds token id sequences ([CLS] ... [SEP], each at most `tokenizer.maxLength` ids from this vocabulary).
  func embed(tokenized sequences: [[Int32]]) async -> EmbeddingMatrix {
    let hidden = dimension
    let batches = Self.batches(lengths: sequences.map(\.count), tokensPerBatch: tokensPerBatch)
    var values = [Float](repeating: 0, count: sequences.count * hidden)
    await withTaskGroup(of: (Int, [Float]).self) { group in
      var next = 0
      func start() {
        guard next < batches.count else { return }
        let index = next
        let batch = batches[index].map { sequences[$0] }
        let encoder = self.encoder
        group.addTask {
          var vectors = [Float](repeating: 0, count: batch.count * hidden)
          vectors.withUnsafeMutableBufferPointer { buffer in
            if let out = buffer.baseAddress { encoder.embed(batch, into: out) }
          }
          return (index, vectors)
        }
        next += 1
      }
      for _ in 0..<workers { start() }
      for await (index, vectors) in group {
        for (position, row) in batches[index].enumerated() {
          values.replaceSubrange(
            (row * hidden)..<((row + 1) * hidden),
            with: vectors[(position * hidden)..<((position + 1) * hidden)])
        }
        start()
      }
    }
    return EmbeddingMatrix(count: sequences.count, dimension: hidden, values: values)
  }

  /// Row indices grouped into batches: sorted by length (stable), cut when a batch reaches `tokensPerBatch`
  /// tokens.
  static func batches(lengths: [Int], tokensPerBatch: Int) -> [[Int]] {
    let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
    var batches: [[Int]] = []
    var current: [Int] = []
    var tokens = 0
    for row in order {
      if !current.isEmpty, tokens + lengths[row] > tokensPerBatch {
        batches.append(current)
        current = []
        tokens = 0
      }
      current.append(row)
      tokens += lengths[row]
    }
    if !current.isEmpty { batches.append(current) }
    return batches
  }
}
