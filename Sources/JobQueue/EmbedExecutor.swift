// `embed` jobs: texts (inline, or a Parquet file's string column) into vectors. Output columns: `item` (INT64,
// the row number in the input) and `embedding` (FIXED_LEN_BYTE_ARRAY of dimension x 4 bytes: little-endian
// float32, readable as `numpy.frombuffer(value, '<f4')`). The Parquet column of a job is read once per process
// and kept while chunks of the same file follow. At submission the texts' mean token count is estimated from an
// evenly spaced sample, for the job's tokens/s.
// Refuses: a missing file or column, a non-string column, empty inputs, inline inputs over `maxInlineTexts`.
import Foundation
import Parquet
import TextEmbedding

public struct EmbedExecutor: ChunkExecutor {
  public let kind = JobKind.embed
  public static let maxInlineTexts = 100_000
  /// Texts per embedder call, so the embedder can sort and pad across a batch.
  public var batchSize = 256
  let embedders: @Sendable (String) throws -> any TextEmbedder
  let cache = TextColumnCache()

  /// `embedders` maps the job's `embedder` name (`minilm` when absent) to an embedder, or throws.
  public init(embedders: @escaping @Sendable (String) throws -> any TextEmbedder) {
    self.embedders = embedders
  }

  public func plan(_ spec: JobSpec) async throws -> Int {
    guard let input = spec.embed else { throw JobSpecError(field: "embed", "is required for kind 'embed'") }
    do { _ = try embedders(input.embedder ?? "minilm") } catch {
      throw JobSpecError(field: "embed.embedder", "\(error)")
    }
    if let texts = input.texts {
      guard input.parquet == nil else {
        throw JobSpecError(field: "embed.texts", "give either texts or parquet, not both")
      }
      guard !texts.isEmpty else { throw JobSpecError(field: "embed.texts", "is empty") }
      guard texts.count <= Self.maxInlineTexts else {
        throw JobSpecError(
          field: "embed.texts", "has \(texts.count) texts; at most \(Self.maxInlineTexts) inline")
      }
      return texts.count
    }
    guard let path = input.parquet else { throw JobSpecError(field: "embed", "needs texts or parquet") }
    guard path.hasPrefix("/") else { throw JobSpecError(field: "embed.parquet", "must be an absolute path") }
    guard let column = input.textColumn else {
      throw JobSpecError(field: "embed.text_column", "is required with embed.parquet")
    }
    let file: ParquetFile
    do { file = try ParquetFile(path: path) } catch {
      throw JobSpecError(field: "embed.parquet", "cannot be read: \(error)")
    }
    let descriptor: ColumnDescriptor
    do { descriptor = try file.column(named: column) } catch {
      throw JobSpecError(field: "embed.text_column", "no column '\(column)' in \(path)")
    }
    guard descriptor.element.type == .byteArray else {
      throw JobSpecError(field: "embed.text_column", "column '\(column)' does not hold strings")
    }
    guard file.rowCount > 0 else { throw JobSpecError(field: "embed.parquet", "has no rows") }
    return file.rowCount
  }

  /// Texts whose tokens are counted for `tokensPerItem`, evenly spaced over the job's.
  public static let tokenSample = 2_000

  /// Sets `tokensPerItem`: the embedder's mean token count over up to `tokenSample` evenly spaced texts of the
  /// job (of a Parquet column: of its first row group, so that submitting never reads a whole large column).
  public func resolve(_ spec: JobSpec) async throws -> JobSpec {
    guard let input = spec.embed, let embedder = try? embedders(input.embedder ?? "minilm") else {
      return spec
    }
    let texts = try sampleTexts(input)
    let counts = texts.compactMap { embedder.tokenCount($0) }
    guard !counts.isEmpty, counts.count == texts.count else { return spec }
    var resolved = spec
    resolved.tokensPerItem = Double(counts.reduce(0, +)) / Double(counts.count)
    return resolved
  }

  /// Up to `tokenSample` texts, evenly spaced over the inline texts or the first row group of the column.
  func sampleTexts(_ input: EmbedInput) throws -> [String] {
    func evenly(_ count: Int, _ text: (Int) -> String?) -> [String] {
      let step = max(1, count / Self.tokenSample)
      return stride(from: 0, to: count, by: step).prefix(Self.tokenSample).compactMap(text)
    }
    if let texts = input.texts { return evenly(texts.count) { texts[$0] } }
    guard let path = input.parquet, let column = input.textColumn else { return [] }
    let file = try ParquetFile(path: path)
    guard file.rowGroupCount > 0 else { return [] }
    let data = try file.readColumn(column, rowGroup: 0)
    guard case .byteArray(let values) = data.values else { return [] }
    return evenly(values.count) { String(decoding: values[$0], as: UTF8.self) }
  }

  public func execute(_ spec: JobSpec, items: Range<Int>, output: String) async throws {
    guard let input = spec.embed else { throw PermanentJobError("embed input missing") }
    let embedder = try embedders(input.embedder ?? "minilm")
    let texts = try await self.texts(input, items: items)
    var values: [Float] = []
    values.reserveCapacity(texts.count * embedder.dimension)
    for start in stride(from: 0, to: texts.count, by: batchSize) {
      try Task.checkCancellation()
      let matrix = try await embedder.embed(Array(texts[start..<min(start + batchSize, texts.count)]))
      values.append(contentsOf: matrix.values)
    }
    try EmbeddingOutput.write(items: items, vectors: values, dimension: embedder.dimension, to: output)
  }

  func texts(_ input: EmbedInput, items: Range<Int>) async throws -> [String] {
    if let texts = input.texts {
      guard items.upperBound <= texts.count else { throw PermanentJobError("chunk past the inline texts") }
      return Array(texts[items])
    }
    guard let path = input.parquet, let column = input.textColumn else {
      throw PermanentJobError("embed input has neither texts nor parquet")
    }
    let all = try await cache.strings(path: path, column: column)
    guard items.upperBound <= all.count else {
      throw PermanentJobError(
        "\(path) has \(all.count) rows now; the job expected at least \(items.upperBound)")
    }
    return Array(all[items])
  }
}

/// The last Parquet text column read, kept while a worker runs chunks of the same job.
actor TextColumnCache {
  private var key: String?
  private var strings: [String] = []

  func strings(path: String, column: String) throws -> [String] {
    let wanted = path + "\u{0}" + column
    if key == wanted { return strings }
    let data = try ParquetFile(path: path).readColumn(column)
    guard case .byteArray(let values) = data.values else {
      throw PermanentJobError("column '\(column)' of \(path) does not hold strings")
    }
    strings = (0..<values.count).map { String(decoding: values[$0], as: UTF8.self) }
    key = wanted
    return strings
  }
}

/// The `embed` output layout, shared by the executor and the tests.
public enum EmbeddingOutput {
  public static func schema(dimension: Int) -> [SchemaElement] {
    [
      .leaf("item", .int64, optional: false),
      .leaf("embedding", .fixedLenByteArray, optional: false, typeLength: Int32(clamping: dimension * 4)),
    ]
  }

  static func write(items: Range<Int>, vectors: [Float], dimension: Int, to path: String) throws {
    let schema = schema(dimension: dimension)
    var bytes = [UInt8](repeating: 0, count: vectors.count * 4)
    bytes.withUnsafeMutableBytes { raw in
      vectors.withUnsafeBufferPointer { source in
        for (index, value) in source.enumerated() {
          raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
        }
      }
    }
    let columns = [
      ColumnData(
        descriptor: descriptor(schema[0], 0), values: .int64(items.map { Int64($0) }), validity: nil),
      ColumnData(
        descriptor: descriptor(schema[1], 1),
        values: .fixedLenByteArray(.init(width: dimension * 4, data: bytes)),
        validity: nil),
    ]
    var options = ParquetWriterOptions()
    options.useDictionary = false
    let writer = try ParquetWriter(path: path, schema: schema, options: options)
    try writer.write(columns)
    try writer.close()
  }

  static func descriptor(_ element: SchemaElement, _ index: Int) -> ColumnDescriptor {
    ColumnDescriptor(
      index: index, path: [element.name], element: element, maxDefinitionLevel: 0, maxRepetitionLevel: 0)
  }
}
