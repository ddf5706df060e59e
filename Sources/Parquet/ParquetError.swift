// The one error type of the Parquet reader: a kind to match on, a message, and where it happened.
// Every failure on bad input is reported through it; the reader never traps on file contents.

/// A failure reading a Parquet file, with the place it happened (file, column, row group, page, byte offset).
public struct ParquetError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Kind: String, Sendable, Equatable {
    /// The file could not be opened or read.
    case io
    /// Missing or wrong `PAR1` magic, or a footer length that does not fit the file.
    case notParquet
    /// The bytes end before a structure they declare.
    case truncated
    /// The Thrift-encoded metadata (footer or page header) is malformed.
    case corruptMetadata
    /// Encrypted footer (`PARE`) or encrypted columns: refused.
    case encrypted
    /// A valid feature this reader does not implement (nested columns, LZO, an unknown encoding).
    case unsupported
    /// Page contents contradict their header or the schema (counts, bit widths, lengths, indices).
    case corruptPage
    /// A page's CRC32 does not match its bytes.
    case checksumMismatch
    /// The codec rejected a compressed page.
    case decompression
    /// The caller asked for something the file does not have (unknown column, row group out of range).
    case invalidArgument
  }

  public var kind: Kind
  public var message: String
  public var file: String?
  public var column: String?
  public var rowGroup: Int?
  public var page: Int?
  public var offset: Int?

  public init(
    _ kind: Kind, _ message: String, file: String? = nil, column: String? = nil, rowGroup: Int? = nil,
    page: Int? = nil, offset: Int? = nil
  ) {
    self.kind = kind
    self.message = message
    self.file = file
    self.column = column
    self.rowGroup = rowGroup
    self.page = page
    self.offset = offset
  }

  /// Adds the context an outer layer knows, keeping what an inner layer already set.
  func adding(
    file: String? = nil, column: String? = nil, rowGroup: Int? = nil, page: Int? = nil, offset: Int? = nil
  ) -> ParquetError {
    var copy = self
    copy.file = self.file ?? file
    copy.column = self.column ?? column
    copy.rowGroup = self.rowGroup ?? rowGroup
    copy.page = self.page ?? page
    copy.offset = self.offset ?? offset
    return copy
  }

  public var description: String {
    var place: [String] = []
    if let file { place.append(file) }
    if let column { place.append("column '\(column)'") }
    if let rowGroup { place.append("row group \(rowGroup)") }
    if let page { place.append("page \(page)") }
    if let offset { place.append("offset \(offset)") }
    let prefix = place.isEmpty ? "" : place.joined(separator: ", ") + ": "
    return "\(prefix)\(kind.rawValue): \(message)"
  }
}

/// Runs `body`, converting any error into a `ParquetError` with the given context added.
@inline(__always)
func withContext<T>(
  file: String? = nil, column: String? = nil, rowGroup: Int? = nil, page: Int? = nil,
  _ body: () throws -> T
) throws(ParquetError) -> T {
  do {
    return try body()
  } catch let error as ParquetError {
    throw error.adding(file: file, column: column, rowGroup: rowGroup, page: page)
  } catch {
    throw ParquetError(.io, "\(error)", file: file, column: column, rowGroup: rowGroup, page: page)
  }
}
