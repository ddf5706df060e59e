// The writer's output file: FileSupport's write-then-rename file, so the destination never holds a half-written
// Parquet file; this adapter only turns its errors into ParquetErrors that name the destination and offset.
import FileSupport

final class FileSink {
  private let file: AtomicFileWriter
  var destination: String { file.destination }
  var offset: Int { file.bytesWritten }

  init(destination: String) throws(ParquetError) {
    do {
      file = try AtomicFileWriter(path: destination)
    } catch {
      throw ParquetError(.io, "\(error)", file: destination)
    }
  }

  func write(_ bytes: [UInt8]) throws(ParquetError) {
    do {
      try file.write(bytes)
    } catch {
      throw ParquetError(.io, "\(error)", file: destination, offset: offset)
    }
  }

  /// Syncs and renames the temporary file over the destination.
  func commit() throws(ParquetError) {
    do {
      try file.commit()
    } catch {
      throw ParquetError(.io, "\(error)", file: destination)
    }
  }
}
