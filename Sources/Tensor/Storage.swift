// Owned memory behind tensors. One class owns one allocation; tensors are values that share it.
// Raw pointers are handed out only inside `withUnsafe...` closures and never escape them.
// Refuses: resizing, and CPU access to memory that lives elsewhere (device or shape-only storage).

/// Where a storage's bytes live.
public enum StorageLocation: Sendable, Equatable {
  /// Host memory the CPU can read and write.
  case host
  /// No memory at all: the null backend tracks shapes only.
  case none
  /// Memory on an accelerator, identified by an opaque handle the owning backend understands.
  case device(backend: String, handle: UInt64)
}

/// One allocation. Host storage is 64-byte aligned and zero-initialised.
public final class Storage: @unchecked Sendable {
  // @unchecked: the pointer is immutable after init; concurrent writes to disjoint ranges are the
  // caller's contract, exactly as with any buffer handed to BLAS.
  public let byteCount: Int
  public let location: StorageLocation
  private let base: UnsafeMutableRawPointer?
  private let release: (@Sendable () -> Void)?

  /// Allocates `byteCount` zeroed bytes on the host.
  public init(hostByteCount byteCount: Int) {
    self.byteCount = byteCount
    self.location = .host
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    self.base = pointer
    self.release = nil
  }

  /// Storage without host memory: the null backend's (no `release`), or a device allocation whose
  /// backend frees it in `release` (called once, when the last tensor over it goes away).
  public init(byteCount: Int, location: StorageLocation, release: (@Sendable () -> Void)? = nil) {
    self.byteCount = byteCount
    self.location = location
    self.base = nil
    self.release = release
  }

  deinit {
    base?.deallocate()
    release?()
  }

  /// Calls `body` with the host bytes; throws when the storage is not on the host.
  public func withUnsafeMutableBytes<R>(
    what: String = "storage", _ body: (UnsafeMutableRawBufferPointer) throws -> R
  ) throws -> R {
    guard let base else { throw TensorError.notHostMemory(what: what) }
    return try body(UnsafeMutableRawBufferPointer(start: base, count: byteCount))
  }
}
