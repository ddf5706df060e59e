// all-MiniLM-L6-v2 (sentence-transformers) natively: WordPiece tokens -> 6-layer BERT -> mean pooling ->
// L2 normalisation, 384 dimensions, at most 256 tokens per text (longer texts are truncated, as
// sentence-transformers does).
// Batching: texts are tokenized, sorted by length and cut into batches of at most `tokensPerBatch` padded
// tokens (a longer text forms a batch of its own); a fixed number of `workers` tasks (each with a one-thread engine backend and reusable activation
// buffers) share the batches, and every vector is written back at its caller's index.
// On another backend (`device`, e.g. a GPU) the weights live there and the batches run on it one after another
// (one stream), with the tokenization and batching unchanged.
// Note: creating the engine's CPUBackend sets OpenBLAS's process-wide thread count (to `threadsPerWorker`).
// Refuses: to download weights (see MiniLMLocator for where they are looked for).
import Foundation
import Logging
import Tensor

public struct MiniLMEmbedder: TextEmbedder {
  public let name = "all-MiniLM-L6-v2"
  public let tokenizer: WordPieceTokenizer
  public let workers: Int
  /// Engine threads inside each worker (BLAS and row kernels); 1 suits short texts best.
  public let threadsPerWorker: Int
  public let tokensPerBatch: Int
  /// Where the encoder runs; nil: `workers` CPU backends of `threadsPerWorker` threads each.
  public let device: (any Backend)?
  let encoder: BertEncoder
  private static let logger = Logger(label: "tributary.textembedding")

  public var dimension: Int { encoder.hidden }

  /// Loads the weights found by `MiniLMLocator`.
  public init(
    workers: Int = ProcessInfo.processInfo.activeProcessorCount, threadsPerWorker: Int = 1,
    tokensPerBatch: Int = 2048, device: (any Backend)? = nil
  ) throws {
    try self.init(
      files: MiniLMLocator.locate(), workers: workers, threadsPerWorker: threadsPerWorker,
      tokensPerBatch: tokensPerBatch, device: device)
  }

  public init(
    files: MiniLMFiles, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    threadsPerWorker: Int = 1,
    tokensPerBatch: Int = 2048, device: (any Backend)? = nil
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
    self.encoder = BertEncoder(
      weights: try BertWeights(
        file: file, configuration: configuration, backend: device ?? CPUBackend(threads: 1)))
    self.device = device
    self.workers = max(1, workers)
    self.threadsPerWorker = max(1, threadsPerWorker)
    self.tokensPerBatch = max(1, tokensPerBatch)
    Self.logger.debug("loaded all-MiniLM-L6-v2 from \(files.directory)")
  }

  private init(copying other: MiniLMEmbedder, workers: Int, threadsPerWorker: Int, tokensPerBatch: Int) {
    tokenizer = other.tokenizer
    encoder = other.encoder
    device = other.device
    self.workers = max(1, workers)
    self.threadsPerWorker = max(1, threadsPerWorker)
    self.tokensPerBatch = max(1, tokensPerBatch)
  }

  /// The same loaded model with other parallelism or batch size (the weights are shared, not copied).
  public func reconfigured(workers: Int? = nil, threadsPerWorker: Int? = nil, tokensPerBatch: Int? = nil)
    -> MiniLMEmbedder
  {
    MiniLMEmbedder(
      copying: self, workers: workers ?? self.workers,
      threadsPerWorker: threadsPerWorker ?? self.threadsPerWorker,
      tokensPerBatch: tokensPerBatch ?? self.tokensPerBatch)
  }

  public func embed(_ texts: [String]) async throws -> EmbeddingMatrix {
    try await embed(tokenized: texts.map(tokenizer.encode))
  }

  /// Embeds token id sequences ([CLS] ... [SEP], each at most `tokenizer.maxLength` ids from this vocabulary).
  func embed(tokenized sequences: [[Int32]]) async throws -> EmbeddingMatrix {
    let hidden = dimension
    let batches = Self.batches(lengths: sequences.map(\.count), tokensPerBatch: tokensPerBatch)
    var values = [Float](repeating: 0, count: sequences.count * hidden)
    if let device {
      let scratch = BertScratch(backend: device)
      for batch in batches {
        let vectors = try encoder.embed(batch.map { sequences[$0] }, backend: device, scratch: scratch)
        Self.place(vectors, rows: batch, hidden: hidden, into: &values)
      }
      return try EmbeddingMatrix(count: sequences.count, dimension: hidden, values: values)
    }
    let workerCount = min(workers, batches.count)
    let encoder = self.encoder
    let threads = threadsPerWorker
    try await withThrowingTaskGroup(of: [(Int, [Float])].self) { group in
      for worker in 0..<workerCount {
        // Batches are sorted by length, so taking every workerCount-th one spreads the work evenly.
        let mine = Array(stride(from: worker, to: batches.count, by: workerCount))
        group.addTask {
          // By default one engine thread per worker: whole batches in parallel beat small multi-threaded GEMMs.
          let backend = CPUBackend(threads: threads)
          let scratch = BertScratch(backend: backend)
          return try mine.map { index in
            (
              index,
              try encoder.embed(batches[index].map { sequences[$0] }, backend: backend, scratch: scratch)
            )
          }
        }
      }
      for try await results in group {
        for (index, vectors) in results {
          Self.place(vectors, rows: batches[index], hidden: hidden, into: &values)
        }
      }
    }
    return try EmbeddingMatrix(count: sequences.count, dimension: hidden, values: values)
  }

  /// Writes a batch's vectors back at their callers' rows.
  private static func place(_ vectors: [Float], rows: [Int], hidden: Int, into values: inout [Float]) {
    for (position, row) in rows.enumerated() {
      values.replaceSubrange(
        (row * hidden)..<((row + 1) * hidden), with: vectors[(position * hidden)..<((position + 1) * hidden)])
    }
  }

  /// Row indices grouped into batches: sorted by length (stable), cut before the padded batch (rows x longest)
  /// would exceed `tokensPerBatch`.
  static func batches(lengths: [Int], tokensPerBatch: Int) -> [[Int]] {
    let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
    var batches: [[Int]] = []
    var current: [Int] = []
    for row in order {
      // Sorted ascending: the new row is the batch's longest.
      if !current.isEmpty, (current.count + 1) * lengths[row] > tokensPerBatch {
        batches.append(current)
        current = []
      }
      current.append(row)
    }
    if !current.isEmpty { batches.append(current) }
    return batches
  }
}
