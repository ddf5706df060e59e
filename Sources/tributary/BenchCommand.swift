// `tributary bench ...`: throughput of the hot paths, measured against the peers in docs/benchmarks.md.
import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the throughput of Tributary's hot paths.",
    subcommands: [
      ParquetBenchCommand.self, BenchGEMM.self, BenchEmbedCommand.self, BenchSamplerCommand.self,
      BenchModelCommand.self,
    ])
}
