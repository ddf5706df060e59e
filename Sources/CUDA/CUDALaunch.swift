// Kernel launches and copies on the device's stream. Arguments are passed as `KernelArgument`s whose bytes are
// laid out for cuLaunchKernel's array of pointers; launch sizes come from `LaunchShape` helpers.
// Refuses: launches with zero work (they return without calling the driver) and grids beyond the hardware limits.
import Foundation

/// One kernel argument, with the C type it must match.
enum KernelArgument {
  case pointer(DevicePointer)  // T* (a null pointer is .pointer(0))
  case int32(Int32)  // int
  case int64(Int)  // long long
  case uint64(UInt64)  // unsigned long long
  case float(Float)  // float
  case int64s([Int64])  // a struct of long longs, passed by value

  var byteCount: Int {
    if case .int64s(let values) = self { return values.count * 8 }
    return 8
  }

  func store(at pointer: UnsafeMutableRawPointer) {
    switch self {
    case .pointer(let v): pointer.storeBytes(of: v, as: UInt64.self)
    case .int32(let v): pointer.storeBytes(of: v, as: Int32.self)
    case .int64(let v): pointer.storeBytes(of: Int64(v), as: Int64.self)
    case .uint64(let v): pointer.storeBytes(of: v, as: UInt64.self)
    case .float(let v): pointer.storeBytes(of: v, as: Float.self)
    case .int64s(let values):
      for (i, v) in values.enumerated() { pointer.storeBytes(of: v, toByteOffset: i * 8, as: Int64.self) }
    }
  }
}

/// Grid and block sizes of a launch.
struct LaunchShape {
  var grid: (x: Int, y: Int, z: Int)
  var block: Int
  var sharedBytes = 0

  /// A grid-stride launch over `count` elements: 256 threads a block, at most 65,535 blocks.
  static func elements(_ count: Int) -> LaunchShape {
    LaunchShape(grid: (min(max((count + 255) / 256, 1), 65_535), 1, 1), block: 256)
  }

  /// One block per row (row kernels), `threads` a block; no rows, no launch.
  static func rows(_ rows: Int, threads: Int = 256) -> LaunchShape {
    LaunchShape(grid: (rows, 1, 1), block: threads)
  }

  /// A single block (reductions to one value).
  static let single = LaunchShape(grid: (1, 1, 1), block: 1024)
}

extension CUDADevice {
  /// Launches kernel `name` on the stream. Zero-sized grids are skipped.
  func launch(_ name: String, _ shape: LaunchShape, _ arguments: [KernelArgument]) throws {
    guard let function = kernels[name] else {
      throw CUDAError.invalidLaunch(kernel: name, detail: "unknown kernel")
    }
    try KernelSignature.check(name, arguments)
    let g = shape.grid
    guard g.x > 0, g.y > 0, g.z > 0, shape.block > 0 else { return }
    guard g.x <= Int(Int32.max), g.y <= 65_535, g.z <= 65_535, shape.block <= 1024 else {
      throw CUDAError.invalidLaunch(kernel: name, detail: "grid \(g) block \(shape.block) exceeds the limits")
    }
    try makeCurrent()
    let total = arguments.reduce(0) { $0 + ($1.byteCount + 7) / 8 * 8 }
    let storage = UnsafeMutableRawPointer.allocate(byteCount: max(total, 8), alignment: 16)
    defer { storage.deallocate() }
    var pointers: [UnsafeMutableRawPointer?] = []
    var offset = 0
    for argument in arguments {
      argument.store(at: storage + offset)
      pointers.append(storage + offset)
      offset += (argument.byteCount + 7) / 8 * 8
    }
    let status = pointers.withUnsafeMutableBufferPointer { params in
      driver.cuLaunchKernel(
        function, UInt32(g.x), UInt32(g.y), UInt32(g.z), UInt32(shape.block), 1, 1, UInt32(shape.sharedBytes),
        stream, params.baseAddress, nil)
    }
    try driver.check(status, "cuLaunchKernel(\(name))")
  }

  /// Host to device, then waits (the host buffer may go away after the call).
  func upload(_ source: UnsafeRawBufferPointer, to address: DevicePointer) throws {
    guard let base = source.baseAddress, source.count > 0 else { return }
    try makeCurrent()
    try driver.check(driver.cuMemcpyHtoDAsync(address, base, source.count, stream), "cuMemcpyHtoDAsync_v2")
    try driver.check(driver.cuStreamSynchronize(stream), "cuStreamSynchronize")
  }

  /// Device to host, after everything queued before it.
  func download(_ address: DevicePointer, to destination: UnsafeMutableRawBufferPointer) throws {
    guard let base = destination.baseAddress, destination.count > 0 else { return }
    try makeCurrent()
    try driver.check(
      driver.cuMemcpyDtoHAsync(base, address, destination.count, stream), "cuMemcpyDtoHAsync_v2")
    try driver.check(driver.cuStreamSynchronize(stream), "cuStreamSynchronize")
  }

  /// Device to device, queued on the stream.
  func copyOnDevice(from source: DevicePointer, to destination: DevicePointer, bytes: Int) throws {
    guard bytes > 0 else { return }
    try makeCurrent()
    try driver.check(driver.cuMemcpyDtoDAsync(destination, source, bytes, stream), "cuMemcpyDtoDAsync_v2")
  }

  /// Zeroes bytes, queued on the stream.
  func memset(_ address: DevicePointer, bytes: Int) throws {
    guard bytes > 0 else { return }
    try makeCurrent()
    try driver.check(driver.cuMemsetD8Async(address, 0, bytes, stream), "cuMemsetD8Async")
  }
}
