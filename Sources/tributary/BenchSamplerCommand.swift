// `tributary bench sampler OUT_DIR [--task T | --pretrain] [--threads N] [--batch 32] [--context 1024]`: how
// fast the sampler fills batches through its prefetch stream, in samples/s and cells/s (non-padding cells).
import ArgumentParser
import DatabaseSpec
import Dispatch
import Foundation
import Sampler
import Store

struct BenchSamplerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sampler", abstract: "Measure how fast the sampler fills batches.")

  @Argument(help: "A folder written by `tributary preprocess`.") var database: String
  @Option(help: "Sample this task's training examples (default: pretraining).") var task: String?
  @Flag(help: "Pretraining contexts (the default).") var pretrain = false
  @Option(help: "Producer threads.") var threads = ProcessInfo.processInfo.activeProcessorCount
  @Option(help: "Contexts per batch.") var batch = 32
  @Option(help: "Context length L in cells.") var context = 1024
  @Option(help: "Batches to time (after one warm-up batch per thread).") var batches = 100

  func validate() throws {
    guard task == nil || !pretrain else { throw ValidationError("give --task T or --pretrain, not both") }
    guard threads >= 1, batch >= 1, context >= 2, batches >= 1 else {
      throw ValidationError("--threads, --batch, --batches must be at least 1, --context at least 2")
    }
  }

  func run() throws {
    let db = try ProcessedDatabase(directory: URL(fileURLWithPath: database))
    let mode: SamplingMode = task.map { .task(name: $0, split: .train, shuffle: true) } ?? .pretrain
    let sampler = try Sampler(
      database: db, settings: SamplerSettings(mode: mode, contextLength: context, batchSize: batch))
    let warmUp = BatchStream(
      sampler: sampler, epoch: 0, threads: threads, prefetch: 2 * threads, count: threads)
    while warmUp.next() != nil {}
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = Self.processCPUSeconds()
    var cells = 0
    var epoch = 1
    var done = 0
    while done < batches {
      let count = min(batches - done, sampler.batchesPerEpoch)
      let stream = BatchStream(
        sampler: sampler, epoch: epoch, threads: threads, prefetch: 2 * threads, count: count)
      while let filled = stream.next() {
        cells += filled.withField(.cellCount, as: Int32.self) { $0.reduce(0) { $0 + Int($1) } } ?? 0
        stream.recycle(filled)
        done += 1
      }
      epoch += 1
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let cpu = Self.processCPUSeconds() - cpuStart
    let samples = Double(batches * batch)
    // Samples per CPU-second is the per-core rate; it stays meaningful on a machine shared with other work.
    print(
      "database  mode  threads  B  L  batches  seconds  samples/s  Mcells/s  cells/context  samples/cpu-s")
    print(
      String(
        format: "%@  %@  %d  %d  %d  %d  %.3f  %.0f  %.2f  %.0f  %.0f", db.metadata.name, task ?? "pretrain",
        threads, batch, context, batches, seconds, samples / seconds, Double(cells) / seconds / 1e6,
        Double(cells) / samples, samples / max(cpu, 1e-9)))
  }

  static func processCPUSeconds() -> Double {
    var usage = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &usage)
    return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
  }
}
