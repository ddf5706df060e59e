// `tributary bench parquet FILE...`: decode throughput of the Parquet reader, single-threaded and on N workers.
// Reports MB/s of uncompressed column data (the chunks' total_uncompressed_size) and rows/s; best of --repeat.
import ArgumentParser
import Dispatch
import Foundation
import Parquet

struct ParquetBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "parquet", abstract: "Measure how fast the Parquet reader decodes whole files.")

  @Argument(help: "Parquet files to read.") var files: [String]
  @Option(help: "Worker threads for the parallel run (default: all cores).") var threads: Int =
    ProcessInfo.processInfo.activeProcessorCount
  @Option(help: "Runs per measurement; the best is reported.") var `repeat`: Int = 5

  func validate() throws {
    guard threads >= 1, `repeat` >= 1 else {
      throw ValidationError("--threads and --repeat must be at least 1")
    }
  }

  func run() throws {
    print("file  threads  seconds  MB/s(uncompressed)  Mrows/s")
    for path in files {
      let file = try ParquetFile(path: path)
      let readable = file.columns.filter { $0.unsupportedReason == nil }.map(\.name)
      let bytes = file.metadata.rowGroups.flatMap(\.columns).reduce(Int64(0)) {
        $0 + ($1.metaData?.totalUncompressedSize ?? 0)
      }
      for workers in Set([1, threads]).sorted() {
        var best = Double.infinity
        for _ in 0..<`repeat` {
          let start = DispatchTime.now().uptimeNanoseconds
          let columns = try ParquetFile(path: path).readColumns(readable, threads: workers)
          let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
          precondition(columns.count == readable.count)
          best = min(best, seconds)
        }
        let name = (path as NSString).lastPathComponent
        let mbps = Double(bytes) / 1e6 / best
        let rows = Double(file.rowCount) / 1e6 / best
        print(String(format: "%@  %d  %.4f  %.1f  %.2f", name, workers, best, mbps, rows))
      }
    }
  }
}
