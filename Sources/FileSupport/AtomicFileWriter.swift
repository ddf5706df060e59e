// Writes a file so that readers never see it half-written: bytes go to a temporary file beside the destination,
// which is flushed and renamed over it only on `commit()`. Dropping the writer without committing removes the
// temporary file, so an interrupted run leaves the previous file (or nothing) in place, never a partial one.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public final class AtomicFileWriter {
  public let destination: String
  public let temporaryPath: String
  public private(set) var bytesWritten: Int = 0
  private var fd: Int32
  private var committed = false

  public init(path: String) throws {
    destination = path
    temporaryPath = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw FileError(path: path, message: "cannot create \(temporaryPath): \(MemoryMappedFile.lastError())")
    }
  }

  deinit {
    if fd >= 0 { close(fd) }
    if !committed { unlink(temporaryPath) }
  }

  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let n = posixWrite(fd, base + done, bytes.count - done)
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        throw FileError(path: destination, message: "write failed: \(MemoryMappedFile.lastError())")
      }
      done += n
    }
    bytesWritten += bytes.count
  }

  public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

  /// Writes zero bytes until the file length is a multiple of `alignment`.
  public func pad(toMultipleOf alignment: Int) throws {
    let remainder = bytesWritten % alignment
    guard remainder != 0 else { return }
    try write([UInt8](repeating: 0, count: alignment - remainder))
  }

  /// Overwrites bytes already written (e.g. a header whose contents are known only at the end).
  public func overwrite(at offset: Int, _ bytes: [UInt8]) throws {
    guard offset >= 0, offset + bytes.count <= bytesWritten else {
      throw FileError(
        path: destination, message: "overwrite of \(bytes.count) bytes at \(offset) is past the end")
    }
    let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, bytes.count, off_t(offset)) }
    guard n == bytes.count else {
      throw FileError(path: destination, message: "write failed: \(MemoryMappedFile.lastError())")
    }
  }

  /// Flushes to disk and renames the temporary file over the destination.
  public func commit() throws {
    guard fsync(fd) == 0 else {
      throw FileError(path: destination, message: "fsync failed: \(MemoryMappedFile.lastError())")
    }
    close(fd)
    fd = -1
    guard rename(temporaryPath, destination) == 0 else {
      throw FileError(path: destination, message: "rename failed: \(MemoryMappedFile.lastError())")
    }
    committed = true
  }
}

private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
  #else
    Darwin.write(fd, buffer, count)
  #endif
}
