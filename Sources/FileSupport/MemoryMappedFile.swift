// A read-only memory mapping of a whole file, for zero-copy readers (Parquet, safetensors, processed databases).
// The mapping lives as long as this object; bytes are handed out only inside `withBytes` closures so no pointer
// outlives it. Falls back to reading the file into memory where mmap is refused (some filesystems, empty files).
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public struct FileError: Error, CustomStringConvertible, Equatable {
  public let path: String
  public let message: String
  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }
  public var description: String { "\(path): \(message)" }
}

public final class MemoryMappedFile: @unchecked Sendable {
  // @unchecked: the mapping is read-only and immutable after init; unmapped only in deinit.
  public let path: String
  public let count: Int
  private let base: UnsafeRawPointer?
  private let isMapped: Bool

  public init(path: String) throws {
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw FileError(path: path, message: "cannot open: \(Self.lastError())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw FileError(path: path, message: "cannot stat: \(Self.lastError())")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw FileError(path: path, message: "not a regular file")
    }
    count = Int(info.st_size)
    if count == 0 {
      (base, isMapped) = (nil, false)
      return
    }
    let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
    if let mapped, mapped != MAP_FAILED {
      (base, isMapped) = (UnsafeRawPointer(mapped), true)
    } else {
      (base, isMapped) = (try Self.readWhole(fd: fd, count: count, path: path), false)
    }
  }

  deinit {
    guard let base else { return }
    if isMapped {
      munmap(UnsafeMutableRawPointer(mutating: base), count)
    } else {
      base.deallocate()
    }
  }

  /// The file's bytes, valid only during `body`.
  public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    try body(UnsafeRawBufferPointer(start: base, count: count))
  }

  /// Tells the kernel the whole file will be read soon (sequential read-ahead).
  public func adviseWillNeed() {
    guard isMapped, let base else { return }
    _ = madvise(UnsafeMutableRawPointer(mutating: base), count, MADV_WILLNEED)
  }

  private static func readWhole(fd: Int32, count: Int, path: String) throws -> UnsafeRawPointer {
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
    var done = 0
    while done < count {
      let n = pread(fd, buffer + done, count - done, off_t(done))
      guard n > 0 else {
        buffer.deallocate()
        throw FileError(path: path, message: "read failed at byte \(done): \(lastError())")
      }
      done += n
    }
    return UnsafeRawPointer(buffer)
  }

  static func lastError() -> String { String(cString: strerror(errno)) }
}
