// Options of the flat Parquet writer. Defaults follow Arrow's where one exists (1 MiB pages, 1 MiB dictionary
// limit, data page v1), so files look familiar to other readers.

/// How `ParquetWriter` lays out and compresses a file.
public struct ParquetWriterOptions: Sendable, Equatable {
  public enum DataPageVersion: Sendable, Equatable {
    case v1
    case v2
  }

  /// Page compression (LZO is refused).
  public var codec: CompressionCodec = .snappy
  /// The codec's own level; nil: its default.
  public var compressionLevel: Int? = nil
  /// Rows per row group (the last one may be shorter).
  public var rowGroupRows: Int = 1 << 20
  /// Target uncompressed size of a data page's values, in bytes.
  public var dataPageSize: Int = 1 << 20
  /// Most rows in one data page.
  public var dataPageRowLimit: Int = 20_000
  /// Dictionary-encode columns (all but booleans) while the dictionary stays under `dictionaryPageSizeLimit`.
  public var useDictionary: Bool = true
  /// Largest PLAIN size of a dictionary, in bytes; past it the column chunk is written PLAIN.
  public var dictionaryPageSizeLimit: Int = 1 << 20
  public var dataPageVersion: DataPageVersion = .v1
  /// Write min/max and null counts in each column chunk's metadata.
  public var writeStatistics: Bool = true
  /// Extra key/value pairs stored in the footer.
  public var keyValueMetadata: [KeyValue] = []
  public var createdBy: String = "tributary parquet writer"

  public init() {}

  func validate() throws(ParquetError) {
    guard codec != .lzo else { throw ParquetError(.unsupported, "the writer does not compress with LZO") }
    guard rowGroupRows > 0, dataPageSize > 0, dataPageRowLimit > 0, dictionaryPageSizeLimit >= 0 else {
      throw ParquetError(
        .invalidArgument,
        "row group rows (\(rowGroupRows)), page size (\(dataPageSize)) and page row limit (\(dataPageRowLimit)) "
          + "must be positive")
    }
  }
}
