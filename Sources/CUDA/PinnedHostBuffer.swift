// Page-locked host memory (cuMemHostAlloc) for copies that overlap compute: the sampler writes a batch into a
// pinned buffer, `copyAsync` queues it to the device on the stream and returns at once; the buffer must not be
// rewritten until `CUDADevice.synchronize()` (or a later download) has passed.
// Refuses: pageable memory for asynchronous copies (the driver would make them synchronous anyway).
import Foundation

/// A page-locked host allocation, freed when the buffer goes away.
public final class PinnedHostBuffer: @unchecked Sendable {
  // @unchecked: the pointer is immutable; writers and the queued copies are ordered by the caller, as documented.
  public let byteCount: Int
  private let base: UnsafeMutableRawPointer
  private let device: CUDADevice

  /// `byteCount` bytes of pinned memory usable by `device`'s context.
  public init(byteCount: Int, device: CUDADevice) throws {
    try device.makeCurrent()
    var pointer: UnsafeMutableRawPointer?
    try device.driver.check(device.driver.cuMemHostAlloc(&pointer, max(byteCount, 1), 0), "cuMemHostAlloc")
    guard let pointer else {
      throw CUDAError.call(function: "cuMemHostAlloc", status: -1, message: "null pointer")
    }
    self.base = pointer
    self.byteCount = byteCount
    self.device = device
  }

  deinit {
    _ = try? device.makeCurrent()
    _ = device.driver.cuMemFreeHost(base)
  }

  /// Calls `body` with the bytes; the pointer must not escape.
  public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeMutableRawBufferPointer(start: base, count: byteCount))
  }

  /// Queues a copy of the first `bytes` to device address `address` on the device's stream; returns at once.
  func copyAsync(bytes: Int, to address: DevicePointer) throws {
    guard bytes <= byteCount else {
      throw CUDAError.unsupported(what: "pinned copy of \(bytes) bytes", detail: "buffer holds \(byteCount)")
    }
    guard bytes > 0 else { return }
    try device.makeCurrent()
    try device.driver.check(
      device.driver.cuMemcpyHtoDAsync(address, base, bytes, device.stream), "cuMemcpyHtoDAsync_v2")
  }
}
