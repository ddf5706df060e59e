// Opens a processed database (docs/format.md): its metadata.json and every container file, memory-mapped.
// This is what the sampler, `inspect` and the model read; nothing here depends on Parquet or the embedders.
import Foundation

public final class ProcessedDatabase: Sendable {
  public let directory: URL
  public let metadata: ProcessedMetadata
  public let graph: ContainerReader
  public let tables: [ContainerReader]
  public let vocabulary: ContainerReader
  public let columnEmbeddings: ContainerReader
  private let valueOffsets: [Int64]

  public init(directory: URL) throws {
    self.directory = directory
    metadata = try Self.readMetadata(directory)
    func open(_ relative: String, _ kind: ContainerKind) throws -> ContainerReader {
      try ContainerReader(path: directory.appendingPathComponent(relative).path, expecting: kind)
    }
    graph = try open("graph.bin", .graph)
    tables = try metadata.tables.map { try open($0.file, .table) }
    vocabulary = try open("vocab_embeddings.bin", .embeddings)
    columnEmbeddings = try open("column_embeddings.bin", .embeddings)
    valueOffsets = try vocabulary.array("value_offsets", as: Int64.self)
    guard valueOffsets.count == metadata.vocabularySize + 1 else {
      throw StoreError.corrupt(
        path: vocabulary.path,
        reason: "\(valueOffsets.count - 1) values for a vocabulary of \(metadata.vocabularySize)")
    }
  }

  public func table(named name: String) -> (index: Int, table: ProcessedTable)? {
    guard let index = metadata.tables.firstIndex(where: { $0.name == name }) else { return nil }
    return (index, metadata.tables[index])
  }

  public func task(named name: String) throws -> (task: ProcessedTask, file: ContainerReader) {
    guard let task = metadata.tasks.first(where: { $0.name == name }) else {
      let known = metadata.tasks.map(\.name).joined(separator: ", ")
      throw StoreError.missingSection(path: directory.path, name: "task '\(name)' (tasks: \(known))")
    }
    return (
      task, try ContainerReader(path: directory.appendingPathComponent(task.file).path, expecting: .task)
    )
  }

  /// The user-facing value of vocabulary entry `id`.
  public func vocabularyValue(_ id: Int) throws -> String {
    guard id >= 0, id < metadata.vocabularySize else {
      throw StoreError.corrupt(path: vocabulary.path, reason: "vocabulary id \(id) out of range")
    }
    let start = Int(valueOffsets[id])
    let end = Int(valueOffsets[id + 1])
    return try vocabulary.withSectionBytes("value_bytes") { bytes in
      guard start >= 0, start <= end, end <= bytes.count else {
        throw StoreError.corrupt(path: vocabulary.path, reason: "value \(id) lies outside value_bytes")
      }
      return String(decoding: bytes[start..<end], as: UTF8.self)
    }
  }

  static func readMetadata(_ directory: URL) throws -> ProcessedMetadata {
    let url = directory.appendingPathComponent("metadata.json")
    guard let data = try? Data(contentsOf: url) else {
      throw StoreError.notAContainer(
        path: directory.path,
        reason: "no metadata.json: not a processed database, or preprocessing did not finish")
    }
    let metadata: ProcessedMetadata
    do {
      metadata = try JSONDecoder().decode(ProcessedMetadata.self, from: data)
    } catch {
      throw StoreError.corrupt(path: url.path, reason: "\(error)")
    }
    guard ProcessedMetadata.readableFormatVersions.contains(metadata.formatVersion) else {
      throw StoreError.versionMismatch(
        path: url.path, found: UInt32(clamping: metadata.formatVersion),
        expected: UInt32(ProcessedMetadata.currentFormatVersion))
    }
    return metadata
  }
}
