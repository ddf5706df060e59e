// The writer's output file: a temporary file beside the destination, renamed over it only when the whole
// Parquet file is written and synced, so the destination never holds a half-written file. A sink that is
// dropped without `commit()` removes its temporary file.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

final class FileSink {
  let destination: String
  let temporaryPath: String
  private var descriptor: Int32
  private(set) var offset = 0

  init(destination: String) throws(ParquetError) {
    self.destination = destination
    let slash = destination.lastIndex(of: "/")
    let directory = slash.map { String(destination[...$0]) } ?? ""
    let name = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
    guard !name.isEmpty else { throw ParquetError(.invalidArgument, "no file name", file: destination) }
    temporaryPath = "\(directory).\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      throw ParquetError(.io, "cannot create \(temporaryPath): \(Self.errnoText())", file: destination)
    }
  }

  deinit {
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporaryPath)
    }
  }

  func write(_ bytes: [UInt8]) throws(ParquetError) {
    var done = 0
    while done < bytes.count {
      let written = bytes.withUnsafeBytes { buffer in
        systemWrite(descriptor, buffer.baseAddress.map { $0 + done }, bytes.count - done)
      }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else {
        throw ParquetError(.io, "write failed: \(Self.errnoText())", file: destination, offset: offset + done)
      }
      done += written
    }
    offset += bytes.count
  }

  /// Syncs and renames the temporary file over the destination.
  func commit() throws(ParquetError) {
    guard fsync(descriptor) == 0 else {
      throw ParquetError(.io, "fsync failed: \(Self.errnoText())", file: destination)
    }
    guard close(descriptor) == 0 else {
      descriptor = -1
      unlink(temporaryPath)
      throw ParquetError(.io, "close failed: \(Self.errnoText())", file: destination)
    }
    descriptor = -1
    guard rename(temporaryPath, destination) == 0 else {
      let reason = Self.errnoText()
      unlink(temporaryPath)
      throw ParquetError(.io, "cannot rename \(temporaryPath) into place: \(reason)", file: destination)
    }
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// POSIX write(2), named apart from `FileSink.write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
  #else
    Darwin.write(descriptor, buffer, count)
  #endif
}
