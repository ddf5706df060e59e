// A caching device allocator: freed blocks go to free lists keyed by (stream, size class) and are handed out again
// instead of calling cuMemFree/cuMemAlloc, which synchronise the device and cost tens of microseconds each.
// A block is reused only on the stream that freed it, so work queued on that stream is ordered before its reuse.
// When the device runs out of memory the cache is returned to the device and the allocation retried once.
// Host-side logic only: the device behind it is a `DeviceMemory` (the driver, or a fake in tests).
// Refuses: splitting or merging blocks (size classes bound the waste instead), and blocks shared across streams.
import Foundation

/// Raw device memory: what the caching allocator sits on.
public protocol DeviceMemory: Sendable {
  /// A new allocation of exactly `bytes`; throws when the device is out of memory.
  func allocate(bytes: Int) throws -> DevicePointer
  /// Returns an allocation made by `allocate`.
  func free(_ address: DevicePointer)
}

/// Counters of a caching allocator, in bytes unless named otherwise.
public struct AllocatorStatistics: Sendable, Equatable {
  /// Bytes of blocks handed out and not yet freed (size classes, not requested sizes).
  public var inUse = 0
  /// Bytes of freed blocks kept for reuse.
  public var cached = 0
  /// The most `inUse + cached` has been: the device memory this allocator held at its peak.
  public var peakReserved = 0
  /// Calls to the device allocator, and how many requests the cache served.
  public var deviceAllocations = 0
  public var cacheHits = 0
  /// Times the cache was emptied to retry an allocation the device refused.
  public var flushes = 0
}

/// Size-class free lists over a `DeviceMemory`, one set per stream.
public final class CachingAllocator: @unchecked Sendable {
  // @unchecked: all mutable state is behind `lock`.
  private struct Key: Hashable {
    var stream: UInt64
    var size: Int
  }
  private let device: any DeviceMemory
  private let lock = NSLock()
  private var free: [Key: [DevicePointer]] = [:]
  private var live: [DevicePointer: Key] = [:]
  private var stats = AllocatorStatistics()

  public init(device: any DeviceMemory) { self.device = device }

  /// The size class of a request: 512-byte steps up to 1 MiB, then 2 MiB steps (waste under 2 MiB, and under
  /// 0.2% for the 1 GiB attention buffers).
  public static func sizeClass(_ bytes: Int) -> Int {
    let small = 512
    let large = 2 << 20
    if bytes <= 1 << 20 { return max(small, (bytes + small - 1) / small * small) }
    return (bytes + large - 1) / large * large
  }

  /// A block of at least `bytes` for work on `stream`.
  public func allocate(bytes: Int, stream: UInt64) throws -> DevicePointer {
    guard bytes >= 0 else {
      throw CUDAError.unsupported(what: "allocation of \(bytes) bytes", detail: "negative size")
    }
    let key = Key(stream: stream, size: Self.sizeClass(bytes))
    lock.lock()
    defer { lock.unlock() }
    if let address = free[key]?.popLast() {
      stats.cacheHits += 1
      stats.cached -= key.size
      return track(address, key)
    }
    let address: DevicePointer
    do {
      address = try device.allocate(bytes: key.size)
    } catch {
      flushLocked()
      stats.flushes += 1
      address = try device.allocate(bytes: key.size)
    }
    stats.deviceAllocations += 1
    return track(address, key)
  }

  private func track(_ address: DevicePointer, _ key: Key) -> DevicePointer {
    live[address] = key
    stats.inUse += key.size
    stats.peakReserved = max(stats.peakReserved, stats.inUse + stats.cached)
    return address
  }

  /// Returns a block to its free list. Unknown addresses (a double free) are ignored and reported as false.
  @discardableResult
  public func release(_ address: DevicePointer) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard let key = live.removeValue(forKey: address) else { return false }
    free[key, default: []].append(address)
    stats.inUse -= key.size
    stats.cached += key.size
    return true
  }

  /// Gives every cached block back to the device (blocks in use stay).
  public func emptyCache() {
    lock.lock()
    defer { lock.unlock() }
    flushLocked()
  }

  private func flushLocked() {
    for addresses in free.values { addresses.forEach(device.free) }
    free.removeAll()
    stats.cached = 0
  }

  public var statistics: AllocatorStatistics {
    lock.lock()
    defer { lock.unlock() }
    return stats
  }
}
