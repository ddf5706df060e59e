// The flat Parquet writer: a schema of leaf columns (required or optional, no nesting), row groups of typed
// columns, and a footer with statistics and key/value metadata. Output goes to a temporary file that is renamed
// over `path` by `close()`; a writer dropped without `close()` leaves nothing behind.
// Refuses nested or repeated columns, LZO, values that do not match their column's physical type, and columns
// of unequal length.
import Logging

/// Writes a Parquet file row group by row group.
public final class ParquetWriter {
  private static let logger = Logger(label: "tributary.parquet")
  public let path: String
  /// The leaf columns, in file order.
  public let schema: [SchemaElement]
  public let options: ParquetWriterOptions
  private let sink: FileSink
  private var rowGroups: [RowGroup] = []
  private var rowCount: Int64 = 0
  private var closed = false

  public init(path: String, schema: [SchemaElement], options: ParquetWriterOptions = .init())
    throws(ParquetError)
  {
    try options.validate()
    try Self.validate(schema, path: path)
    self.path = path
    self.schema = schema
    self.options = options
    sink = try FileSink(destination: path)
    try sink.write(Array("PAR1".utf8))
  }

  private static func validate(_ schema: [SchemaElement], path: String) throws(ParquetError) {
    guard !schema.isEmpty else {
      throw ParquetError(.invalidArgument, "a schema needs at least one column", file: path)
    }
    for element in schema {
      guard let type = element.type, element.numChildren == nil else {
        throw ParquetError(
          .unsupported, "only flat leaf columns are written", file: path, column: element.name)
      }
      guard element.repetitionType != .repeated else {
        throw ParquetError(.unsupported, "repeated columns are not written", file: path, column: element.name)
      }
      if type == .fixedLenByteArray {
        guard let length = element.typeLength, length > 0 else {
          throw ParquetError(
            .invalidArgument, "FIXED_LEN_BYTE_ARRAY needs a positive type length", file: path,
            column: element.name)
        }
      }
    }
  }

  /// Writes one row group from chunks already gathered per column (one per schema column, in order).
  func writeRowGroup(_ chunks: [WriterColumnChunk]) throws(ParquetError) {
    guard !closed else { throw ParquetError(.invalidArgument, "writer already closed", file: path) }
    guard chunks.count == schema.count else {
      throw ParquetError(
        .invalidArgument, "expected \(schema.count) columns, got \(chunks.count)", file: path)
    }
    let rows = chunks.first?.rowCount ?? 0
    let writer = ColumnChunkWriter(options: options)
    var columns: [ColumnChunk] = []
    let start = sink.offset
    var uncompressed: Int64 = 0
    for chunk in chunks {
      guard chunk.rowCount == rows else {
        throw ParquetError(
          .invalidArgument, "\(chunk.rowCount) rows where other columns have \(rows)", file: path,
          column: chunk.element.name)
      }
      let (bytes, meta) = try writer.write(chunk, fileOffset: sink.offset)
      try sink.write(bytes)
      uncompressed += meta.metaData?.totalUncompressedSize ?? 0
      columns.append(meta)
    }
    rowGroups.append(
      RowGroup(
        columns: columns, totalByteSize: uncompressed, numRows: Int64(rows), fileOffset: Int64(start),
        totalCompressedSize: Int64(sink.offset - start), ordinal: Int16(exactly: rowGroups.count)))
    rowCount += Int64(rows)
  }

  /// Writes the footer and moves the file into place.
  public func close() throws(ParquetError) {
    guard !closed else { return }
    closed = true
    let root = SchemaElement(name: "schema", numChildren: Int32(clamping: schema.count))
    let footer = FileMetaData(
      version: 2, schema: [root] + schema, numRows: rowCount, rowGroups: rowGroups,
      keyValueMetadata: options.keyValueMetadata.isEmpty ? nil : options.keyValueMetadata,
      createdBy: options.createdBy, columnOrders: Array(repeating: .typeDefinedOrder, count: schema.count))
    let footerBytes = thriftBytes(footer)
    try sink.write(footerBytes)
    var trailer: [UInt8] = []
    withUnsafeBytes(of: UInt32(truncatingIfNeeded: footerBytes.count).littleEndian) {
      trailer.append(contentsOf: $0)
    }
    trailer.append(contentsOf: Array("PAR1".utf8))
    try sink.write(trailer)
    try sink.commit()
    Self.logger.debug(
      "wrote \(path): \(rowCount) rows in \(rowGroups.count) row groups, \(sink.offset) bytes")
  }
}
