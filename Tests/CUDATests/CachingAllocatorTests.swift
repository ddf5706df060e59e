// The caching allocator's host-side logic against a fake device that hands out addresses and counts calls: size
// classes, reuse per stream, statistics, the flush-and-retry on out-of-memory, and double frees.
import Foundation
import Testing

@testable import CUDA

/// A device with `capacity` bytes that records every call.
final class FakeDevice: DeviceMemory, @unchecked Sendable {
  private let lock = NSLock()
  private var next: DevicePointer = 0x1000
  private(set) var live: [DevicePointer: Int] = [:]
  private(set) var allocations = 0
  private(set) var frees = 0
  let capacity: Int

  init(capacity: Int) { self.capacity = capacity }

  var used: Int { lock.withLock { live.values.reduce(0, +) } }

  func allocate(bytes: Int) throws -> DevicePointer {
    try lock.withLock {
      guard live.values.reduce(0, +) + bytes <= capacity else {
        throw CUDAError.call(function: "cuMemAlloc_v2", status: 2, message: "out of memory")
      }
      let address = next
      next += DevicePointer(bytes) + 256
      live[address] = bytes
      allocations += 1
      return address
    }
  }

  func free(_ address: DevicePointer) {
    lock.withLock {
      live[address] = nil
      frees += 1
    }
  }
}

@Suite struct CachingAllocatorTests {
  @Test func sizeClassesRoundUpTo512BytesThenTo2MiB() {
    #expect(CachingAllocator.sizeClass(0) == 512)
    #expect(CachingAllocator.sizeClass(1) == 512)
    #expect(CachingAllocator.sizeClass(513) == 1024)
    #expect(CachingAllocator.sizeClass(1 << 20) == 1 << 20)
    #expect(CachingAllocator.sizeClass((1 << 20) + 1) == 2 << 20)
    #expect(CachingAllocator.sizeClass(1 << 30) == 1 << 30)
    #expect(CachingAllocator.sizeClass((1 << 30) + 1) == (1 << 30) + (2 << 20))
  }

  @Test func aFreedBlockIsReusedOnItsStreamOnly() throws {
    let device = FakeDevice(capacity: 1 << 30)
    let allocator = CachingAllocator(device: device)
    let a = try allocator.allocate(bytes: 1000, stream: 1)
    #expect(allocator.release(a))
    let b = try allocator.allocate(bytes: 900, stream: 1)  // same 1024-byte class
    #expect(b == a)
    let c = try allocator.allocate(bytes: 1000, stream: 2)  // other stream: a new block
    #expect(c != a)
    #expect(device.allocations == 2)
    let stats = allocator.statistics
    #expect(stats.cacheHits == 1)
    #expect(stats.deviceAllocations == 2)
    #expect(stats.inUse == 2048)
    #expect(stats.cached == 0)
  }

  @Test func statisticsTrackInUseCachedAndPeak() throws {
    let allocator = CachingAllocator(device: FakeDevice(capacity: 1 << 30))
    let blocks = try (0..<4).map { _ in try allocator.allocate(bytes: 3 << 20, stream: 0) }  // 4 MiB class
    blocks.prefix(3).forEach { allocator.release($0) }
    let stats = allocator.statistics
    #expect(stats.inUse == 4 << 20)
    #expect(stats.cached == 12 << 20)
    #expect(stats.peakReserved == 16 << 20)
  }

  @Test func outOfMemoryEmptiesTheCacheAndRetriesOnce() throws {
    let device = FakeDevice(capacity: 10 << 20)
    let allocator = CachingAllocator(device: device)
    let small = try (0..<4).map { _ in try allocator.allocate(bytes: 2 << 20, stream: 0) }
    small.forEach { allocator.release($0) }  // 8 MiB cached, nothing in use
    let big = try allocator.allocate(bytes: 6 << 20, stream: 0)  // needs the cache back
    #expect(device.frees == 4)
    #expect(allocator.statistics.flushes == 1)
    #expect(allocator.statistics.cached == 0)
    #expect(device.live[big] == 6 << 20)
    #expect(throws: CUDAError.self) { try allocator.allocate(bytes: 6 << 20, stream: 0) }
  }

  @Test func doubleAndUnknownFreesAreRefused() throws {
    let device = FakeDevice(capacity: 1 << 20)
    let allocator = CachingAllocator(device: device)
    let a = try allocator.allocate(bytes: 100, stream: 0)
    #expect(allocator.release(a))
    #expect(!allocator.release(a))
    #expect(!allocator.release(0xDEAD))
    #expect(allocator.statistics.cached == 512)
  }

  @Test func emptyCacheReturnsOnlyFreedBlocks() throws {
    let device = FakeDevice(capacity: 1 << 30)
    let allocator = CachingAllocator(device: device)
    let kept = try allocator.allocate(bytes: 5000, stream: 0)
    let freed = try allocator.allocate(bytes: 5000, stream: 0)
    allocator.release(freed)
    allocator.emptyCache()
    #expect(device.live.keys.sorted() == [kept])
    #expect(allocator.statistics.inUse == CachingAllocator.sizeClass(5000))
  }

  @Test func concurrentAllocationsNeverHandOutABlockTwice() async throws {
    let allocator = CachingAllocator(device: FakeDevice(capacity: 1 << 30))
    let addresses = try await withThrowingTaskGroup(of: [DevicePointer].self) { group in
      for stream in 0..<4 {
        group.addTask {
          var held: [DevicePointer] = []
          for round in 0..<200 {
            held.append(try allocator.allocate(bytes: 512 * (1 + round % 3), stream: UInt64(stream)))
            if round % 2 == 1 { allocator.release(held.removeFirst()) }
          }
          return held
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
    #expect(Set(addresses).count == addresses.count)
  }
}
