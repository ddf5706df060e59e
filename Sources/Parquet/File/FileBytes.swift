import Logging

// The bytes of a Parquet file: memory-mapped (read-only, private) when possible, else read into memory.
// The class owns the mapping or allocation and releases it in deinit; pointers are lent only to closures.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Immutable bytes of a whole file (or of a caller's buffer), shared safely across threads.
final class FileBytes: @unchecked Sendable {
  // @unchecked: the memory is written only in init and never after; reads from any thread are safe.
  private let base: UnsafeMutableRawPointer?
  let count: Int
  private let isMapped: Bool
  private static let logger = Logger(label: "tributary.parquet")

  /// Copies `bytes` into memory this object owns.
  init(copying bytes: UnsafeRawBufferPointer) {
    count = bytes.count
    isMapped = false
    let memory = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    if let source = bytes.baseAddress { memory.copyMemory(from: source, byteCount: count) }
    base = memory
  }

  /// Maps the file at `path`; falls back to reading it when mmap fails.
  init(path: String) throws(ParquetError) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw ParquetError(.io, "cannot open: \(Self.errnoText())", file: path) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      throw ParquetError(.io, "cannot stat: \(Self.errnoText())", file: path)
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw ParquetError(.io, "not a regular file", file: path)
    }
    count = Int(info.st_size)
    if count > 0, let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED {
      base = mapped
      isMapped = true
      return
    }
    if count > 0 { Self.logger.debug("mmap failed for \(path) (\(Self.errnoText())); reading it instead") }
    isMapped = false
    let memory = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    base = memory
    var done = 0
    while done < count {
      let got = pread(fd, memory + done, count - done, off_t(done))
      if got <= 0 {
        memory.deallocate()
        throw ParquetError(.io, "read failed at \(done) of \(count): \(Self.errnoText())", file: path)
      }
      done += got
    }
  }

  deinit {
    guard let base else { return }
    if isMapped { munmap(base, count) } else { base.deallocate() }
  }

  /// Lends the bytes to `body`; the pointer must not escape it.
  func withBytes<T, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T {
    try body(UnsafeRawBufferPointer(start: base, count: count))
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}
