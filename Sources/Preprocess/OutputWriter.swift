// Writes a processed database (docs/format.md) into a staging directory beside the destination, then swaps it into
// place: metadata.json is written last, and the directory appears under its name only when complete. An existing
// destination is replaced only if it is itself a processed database.
import DatabaseSpec
import Foundation
import Store

struct OutputWriter {
  let destination: URL
  let staging: URL

  init(destination: URL) throws {
    self.destination = destination.standardizedFileURL
    staging = self.destination.deletingLastPathComponent()
      .appendingPathComponent(".\(self.destination.lastPathComponent).incomplete-\(getpid())")
    try Self.refuseForeignDirectory(self.destination)
    try? FileManager.default.removeItem(at: staging)
    for sub in ["", "tables", "tasks"] {
      try FileManager.default.createDirectory(
        at: staging.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
  }

  func path(_ relative: String) -> String { staging.appendingPathComponent(relative).path }

  /// A table file to be written column by column (`tables/<table>.bin`).
  func tableFile(_ name: String, rowCount: Int, timeScale: TimeScale, threads: Int) throws -> TableFileWriter
  {
    let relative = "tables/\(name).bin"
    return try TableFileWriter(
      path: path(relative), relativePath: relative, rowCount: rowCount, timeScale: timeScale, threads: threads
    )
  }

  func writeGraph(_ graph: RowGraph) throws {
    let writer = try ContainerWriter(path: path("graph.bin"), kind: .graph)
    try writer.addSection(name: "table_offsets", values: graph.tableOffsets)
    try writer.addSection(name: "node_time", values: graph.nodeTime)
    for (prefix, adjacency) in [("parent", graph.parents), ("child", graph.children)] {
      try writer.addSection(name: "\(prefix)_offsets", values: adjacency.offsets)
      try writer.addSection(name: "\(prefix)_nodes", values: adjacency.nodes)
      try writer.addSection(name: "\(prefix)_edge_types", values: adjacency.edgeTypes)
    }
    try writer.finish()
  }

  func writeEmbeddings(_ file: String, vectors: [Float16], dimension: Int, values: [VocabularyEntry]?) throws
  {
    let writer = try ContainerWriter(path: path(file), kind: .embeddings)
    try vectors.withUnsafeBytes {
      try writer.addSection(
        name: "embeddings", type: .float16, shape: [vectors.count / max(dimension, 1), dimension], bytes: $0)
    }
    if let values {
      var offsets: [Int64] = [0]
      var bytes: [UInt8] = []
      for entry in values {
        bytes += entry.value.utf8
        offsets.append(Int64(bytes.count))
      }
      try writer.addSection(name: "value_offsets", values: offsets)
      try writer.addSection(name: "value_bytes", values: bytes)
      try writer.addSection(name: "column", values: values.map(\.column))
    }
    try writer.finish()
  }

  func writeTask(_ name: String, _ examples: TaskExamples, labels: [Float]) throws -> String {
    let relative = "tasks/\(name).bin"
    let writer = try ContainerWriter(path: path(relative), kind: .task)
    try writer.addSection(name: "seed_row", values: examples.seedRows)
    try writer.addSection(name: "seed_time", values: examples.times)
    try writer.addSection(name: "label", values: labels)
    try writer.addSection(name: "label_raw", values: examples.rawLabels)
    if let ids = examples.labelVocabulary { try writer.addSection(name: "label_vocab", values: ids) }
    try writer.addSection(name: "split", values: examples.splits)
    try writer.finish()
    return relative
  }

  /// Writes metadata.json last, then moves the staging directory into place.
  func commit(_ metadata: ProcessedMetadata) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try encoder.encode(metadata).write(to: staging.appendingPathComponent("metadata.json"), options: .atomic)
    let manager = FileManager.default
    if manager.fileExists(atPath: destination.path) {
      let old = staging.deletingLastPathComponent().appendingPathComponent(
        ".\(destination.lastPathComponent).old-\(getpid())")
      try manager.moveItem(at: destination, to: old)
      try manager.moveItem(at: staging, to: destination)
      try? manager.removeItem(at: old)
    } else {
      try manager.moveItem(at: staging, to: destination)
    }
  }

  func abandon() { try? FileManager.default.removeItem(at: staging) }

  static func isProcessedDatabase(_ directory: URL) -> Bool {
    guard let data = try? Data(contentsOf: directory.appendingPathComponent("metadata.json")),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return false }
    return object["format_version"] != nil
  }

  private static func refuseForeignDirectory(_ destination: URL) throws {
    let manager = FileManager.default
    guard manager.fileExists(atPath: destination.path) else { return }
    let contents = (try? manager.contentsOfDirectory(atPath: destination.path)) ?? []
    guard contents.isEmpty || isProcessedDatabase(destination) else {
      throw PreprocessError.output(
        path: destination.path, reason: "exists and is not a processed database; refusing to replace it")
    }
  }
}
