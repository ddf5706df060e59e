// The reader's entry point: open a file (memory-mapped) or bytes in memory, read its footer and schema, and
// decode flat columns. Refuses encrypted files and columns (`.encrypted`), nested columns (`.unsupported`,
// naming the column: other columns of the file stay readable) and chunks stored in other files.
import Logging

/// A Parquet file opened for reading. Cheap to share across threads (the bytes are immutable).
private let logger = Logger(label: "tributary.parquet")

public struct ParquetFile: Sendable {
  public let path: String
  public let metadata: FileMetaData
  public let schema: Schema
  let bytes: FileBytes
  let footerStart: Int

  /// Opens and memory-maps the file at `path`, and decodes its footer and schema.
  public init(path: String) throws(ParquetError) {
    try self.init(bytes: FileBytes(path: path), name: path)
  }

  /// Reads a Parquet file held in memory (the bytes are copied).
  public init(bytes: [UInt8], name: String = "<memory>") throws(ParquetError) {
    let owned = bytes.withUnsafeBytes { FileBytes(copying: $0) }
    try self.init(bytes: owned, name: name)
  }

  init(bytes: FileBytes, name: String) throws(ParquetError) {
    self.bytes = bytes
    self.path = name
    do {
      (metadata, footerStart) = try bytes.withBytes { (raw) throws(ParquetError) in try Footer.read(raw) }
      schema = try Schema(elements: metadata.schema)
      try Self.checkRowGroups(metadata, columns: schema.columns.count)
    } catch {
      throw error.adding(file: name)
    }
  }

  public var rowCount: Int { Int(metadata.numRows) }
  public var rowGroupCount: Int { metadata.rowGroups.count }
  public var columns: [ColumnDescriptor] { schema.columns }

  private static func checkRowGroups(_ metadata: FileMetaData, columns: Int) throws(ParquetError) {
    var total: Int64 = 0
    for (index, group) in metadata.rowGroups.enumerated() {
      guard group.columns.count == columns else {
        throw ParquetError(
          .corruptMetadata,
          "row group has \(group.columns.count) column chunks, the schema \(columns) leaves",
          rowGroup: index)
      }
      total = total &+ group.numRows
    }
    if total != metadata.numRows {
      // Some writers leave the footer's count at 0; pyarrow reports the footer's value, and so do we.
      logger.debug("row groups hold \(total) rows, the footer says \(metadata.numRows)")
    }
  }

  /// The leaf column with this dotted name, or `.invalidArgument`.
  public func column(named name: String) throws(ParquetError) -> ColumnDescriptor {
    guard let column = schema.column(named: name) else {
      throw ParquetError(.invalidArgument, "no column named '\(name)'", file: path)
    }
    return column
  }
}
