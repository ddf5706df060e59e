// Where a job's files live under the data directory, and the assembly of a job's output: the ordered union of
// its chunk files, streamed chunk by chunk (one row group each) into one Parquet file that appears atomically.
// Refuses: chunk files whose schemas disagree, a missing chunk file (the assembly fails and is retried).
import Foundation
import Parquet

public struct JobFiles: Sendable {
  public let dataDirectory: String

  public init(dataDirectory: String) {
    self.dataDirectory = dataDirectory
  }

  public var queueDatabase: String { dataDirectory + "/queue.sqlite" }

  public func defaultOutput(jobID: String) -> String { dataDirectory + "/results/\(jobID).parquet" }

  func chunkDirectory(jobID: String) -> String { dataDirectory + "/chunks/\(jobID)" }

  public func chunkPath(jobID: String, index: Int) -> String {
    let digits = String(index)
    return chunkDirectory(jobID: jobID) + "/" + String(repeating: "0", count: max(0, 6 - digits.count))
      + digits
      + ".parquet"
  }

  func prepareChunkDirectory(jobID: String) throws {
    try FileManager.default.createDirectory(
      atPath: chunkDirectory(jobID: jobID), withIntermediateDirectories: true)
  }

  /// Writes chunks `0 ..< chunkCount` in order into `output` (write-then-rename).
  func assemble(jobID: String, chunkCount: Int, output: String) throws {
    try FileManager.default.createDirectory(
      atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    var writer: ParquetWriter?
    for index in 0..<chunkCount {
      try Task.checkCancellation()
      let path = chunkPath(jobID: jobID, index: index)
      let columns = try ParquetFile(path: path).readColumns(threads: 1)
      let schema = columns.map(\.descriptor.element)
      if writer == nil {
        var options = ParquetWriterOptions()
        options.useDictionary = false
        writer = try ParquetWriter(path: output, schema: schema, options: options)
      }
      guard let writer, writer.schema == schema else {
        throw PermanentJobError("chunk \(index) of \(jobID) has a different schema from chunk 0")
      }
      try writer.write(columns)
    }
    try writer?.close()
  }

  /// Chunk files are dropped once the job's output is in place.
  func removeChunks(jobID: String) {
    try? FileManager.default.removeItem(atPath: chunkDirectory(jobID: jobID))
  }
}
