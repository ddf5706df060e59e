// `tributary bench embed [--threads N]`: all-MiniLM-L6-v2 throughput in sentences/s on short
// "<column> is <value>" strings and on ~200-word texts. tools/minilm_bench_torch.py generates the same strings
// for sentence-transformers / PyTorch.
import ArgumentParser
import Foundation
import TextEmbedding

struct BenchEmbedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "embed", abstract: "Throughput of the all-MiniLM-L6-v2 embedder (sentences/s).")

  @Option(help: "Batches embedded in parallel, one engine thread each.")
  var threads = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Engine threads inside each parallel batch.")
  var threadsPerWorker = 1

  @Option(help: "How many short strings.")
  var short = 4000

  @Option(help: "How many ~200-word texts.")
  var long = 64

  @Option(help: "Tokens per batch.")
  var batchTokens = 2048

  func validate() throws {
    guard threads >= 1, threadsPerWorker >= 1, short >= 1, long >= 1, batchTokens >= 1 else {
      throw ValidationError(
        "--threads, --threads-per-worker, --short, --long and --batch-tokens must be positive")
    }
  }

  func run() async throws {
    let embedder = try MiniLMEmbedder(
      workers: threads, threadsPerWorker: threadsPerWorker, tokensPerBatch: batchTokens)
    _ = try await embedder.embed(BenchStrings.short(count: 64))
    print(
      "all-MiniLM-L6-v2: \(threads) parallel batch(es) x \(threadsPerWorker) engine thread(s), "
        + "\(batchTokens) padded tokens per batch")
    try await measure("short \"<column> is <value>\"", BenchStrings.short(count: short), embedder)
    try await measure("~200-word texts", BenchStrings.long(count: long), embedder)
  }

  private func measure(_ label: String, _ texts: [String], _ embedder: MiniLMEmbedder) async throws {
    let clock = ContinuousClock()
    var tokenCount = 0
    let tokenizing = clock.measure {
      tokenCount = texts.reduce(0) { $0 + embedder.tokenizer.encode($1).count }
    }
    let cpuBefore = processCPUSeconds()
    let start = clock.now
    let result = try await embedder.embed(texts)
    let seconds = (clock.now - start).seconds
    let cpuSeconds = processCPUSeconds() - cpuBefore
    guard result.count == texts.count else {
      throw ValidationError("embedder returned \(result.count) vectors for \(texts.count) texts")
    }
    let count = Double(texts.count)
    print(
      String(
        format: "%@: %d texts (%.1f tokens each): %.0f sentences/s (%.2f s wall), %.0f per CPU-second; "
          + "tokenizer alone %.0f texts/s",
        label, texts.count, Double(tokenCount) / count, count / seconds, seconds, count / cpuSeconds,
        count / tokenizing.seconds))
  }
}

/// User + system CPU time of this process: on a shared machine, sentences per CPU-second is what one core
/// delivers, whatever else competes for the cores.
private func processCPUSeconds() -> Double {
  var time = timespec()
  guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0 else { return .nan }
  return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

extension Duration {
  fileprivate var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) * 1e-18
  }
}

/// The benchmark strings; tools/minilm_bench_torch.py builds exactly the same ones.
enum BenchStrings {
  static let columns = [
    "name", "driver_id", "nationality", "date", "price", "status", "circuitRef", "forename", "surname",
    "position",
    "constructor", "points",
  ]
  static let words = [
    "the", "race", "driver", "team", "circuit", "season", "championship", "car", "engine", "lap", "fastest",
    "pit", "stop", "qualifying", "grid", "points", "winner", "retired", "accident", "weather", "rain", "dry",
    "tyre", "strategy", "leader", "overtake", "corner", "straight", "speed", "record", "history", "british",
    "german", "italian", "monaco", "silverstone", "monza", "hamilton", "schumacher", "senna", "ferrari",
    "mclaren", "williams", "renault", "mercedes", "red", "bull", "podium", "penalty", "safety", "flag",
    "finished", "started", "during", "after", "before", "with", "and", "of", "in", "a", "was", "his", "their",
  ]

  static func short(count: Int) -> [String] {
    (0..<count).map { index in
      let value = words[(index * 7919) % words.count]
      let suffix = index % 3 == 0 ? " \(index)" : ""
      return "\(columns[index % columns.count]) is \(value)\(suffix)"
    }
  }

  static func long(count: Int) -> [String] {
    (0..<count).map { index in
      (0..<200).map { words[(index * 31 + $0 * 17) % words.count] }.joined(separator: " ")
    }
  }
}
