// One GPU, opened through the driver API: its primary context, one stream, the kernel module compiled by NVRTC
// for its architecture, kernel launches, device memory (behind the caching allocator) and pinned host buffers.
// Every entry point makes the context current on the calling thread first (contexts are per thread in CUDA).
// Refuses: more than one stream per device object (make another `CUDADevice` for another stream).
import Foundation
import Logging

/// Static facts about one device.
public struct DeviceProperties: Sendable, Equatable {
  public var index: Int
  public var name: String
  public var totalMemory: Int
  public var computeCapability: (major: Int, minor: Int)
  public var multiprocessors: Int

  public static func == (a: DeviceProperties, b: DeviceProperties) -> Bool {
    a.index == b.index && a.name == b.name && a.totalMemory == b.totalMemory
      && a.computeCapability == b.computeCapability && a.multiprocessors == b.multiprocessors
  }

  /// "90" for compute capability 9.0: the `sm_` suffix NVRTC compiles for.
  public var smVersion: Int { computeCapability.major * 10 + computeCapability.minor }
}

/// An opened GPU with its stream and kernels.
public final class CUDADevice: @unchecked Sendable {
  // @unchecked: handles are immutable after init; the driver API is thread-safe; the function table is
  // written once in init.
  let driver: DriverAPI
  let context: CUhandle?
  let stream: CUhandle?
  let properties: DeviceProperties
  private(set) var kernels: [String: CUhandle] = [:]
  public let allocator: CachingAllocator
  let logger = Logger(label: "tributary.cuda")

  /// Opens device `index`, creates a stream and compiles the kernels with `nvrtc`.
  public init(index: Int = 0, nvrtc: NVRTC) throws {
    let driver = try DriverAPI.load()
    self.driver = driver
    try driver.check(driver.cuInit(0), "cuInit")
    properties = try Self.properties(driver, index: index)
    var ctx: CUhandle?
    try driver.check(
      driver.cuDevicePrimaryCtxRetain(&ctx, Int32(clamping: index)), "cuDevicePrimaryCtxRetain")
    context = ctx
    try driver.check(driver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent")
    var s: CUhandle?
    try driver.check(driver.cuStreamCreate(&s, 0), "cuStreamCreate")
    stream = s
    allocator = CachingAllocator(device: DriverMemory(driver: driver, context: ctx))
    try loadKernels(nvrtc)
  }

  /// The number of devices, and each one's properties.
  static func enumerate(_ driver: DriverAPI) throws -> [DeviceProperties] {
    try driver.check(driver.cuInit(0), "cuInit")
    var count: Int32 = 0
    try driver.check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount")
    return try (0..<Int(count)).map { try properties(driver, index: $0) }
  }

  static func properties(_ driver: DriverAPI, index: Int) throws -> DeviceProperties {
    var count: Int32 = 0
    try driver.check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount")
    guard index >= 0, index < Int(count) else {
      throw CUDAError.noDevice(detail: "device \(index) requested, \(count) visible")
    }
    var device: Int32 = 0
    try driver.check(driver.cuDeviceGet(&device, Int32(index)), "cuDeviceGet")
    var name = [CChar](repeating: 0, count: 256)
    try driver.check(driver.cuDeviceGetName(&name, 256, device), "cuDeviceGetName")
    var memory = 0
    try driver.check(driver.cuDeviceTotalMem(&memory, device), "cuDeviceTotalMem_v2")
    func attribute(_ a: DeviceAttribute) throws -> Int {
      var value: Int32 = 0
      try driver.check(driver.cuDeviceGetAttribute(&value, a.rawValue, device), "cuDeviceGetAttribute")
      return Int(value)
    }
    return DeviceProperties(
      index: index,
      name: String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
      totalMemory: memory,
      computeCapability: (try attribute(.computeCapabilityMajor), try attribute(.computeCapabilityMinor)),
      multiprocessors: try attribute(.multiprocessorCount))
  }

  /// Compiles the kernels for this device (a cubin for its sm_XY; PTX for compute_XY if that fails, e.g. an NVRTC
  /// older than the GPU) and looks every kernel up.
  private func loadKernels(_ nvrtc: NVRTC) throws {
    let image: [UInt8]
    do {
      image = try nvrtc.compile(
        KernelSource.all, name: "tributary.cu", target: .cubin(smVersion: properties.smVersion))
    } catch {
      logger.warning("cubin compilation failed, trying PTX", metadata: ["error": "\(error)"])
      image = try nvrtc.compile(
        KernelSource.all, name: "tributary.cu", target: .ptx(computeVersion: min(properties.smVersion, 90)))
    }
    var module: CUhandle?
    try image.withUnsafeBytes { raw in
      try driver.check(driver.cuModuleLoadData(&module, raw.baseAddress), "cuModuleLoadData")
    }
    for name in KernelSource.kernelNames {
      var function: CUhandle?
      try driver.check(driver.cuModuleGetFunction(&function, module, name), "cuModuleGetFunction(\(name))")
      guard let function else { throw CUDAError.invalidLaunch(kernel: name, detail: "not in the module") }
      kernels[name] = function
    }
  }

  /// The stream as the allocator's key.
  var streamID: UInt64 { stream.map { UInt64(UInt(bitPattern: UnsafeRawPointer($0))) } ?? 0 }

  public var info: DeviceProperties { properties }

  /// Makes this device's context current on the calling thread.
  func makeCurrent() throws { try driver.check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent") }

  /// Waits for everything queued on the stream.
  public func synchronize() throws {
    try makeCurrent()
    try driver.check(driver.cuStreamSynchronize(stream), "cuStreamSynchronize")
  }

  /// Free and total device memory, in bytes.
  public func memoryInfo() throws -> (free: Int, total: Int) {
    try makeCurrent()
    var (free, total) = (0, 0)
    try driver.check(driver.cuMemGetInfo(&free, &total), "cuMemGetInfo_v2")
    return (free, total)
  }
}

/// The driver's cuMemAlloc/cuMemFree as the caching allocator's device.
struct DriverMemory: DeviceMemory, @unchecked Sendable {
  // @unchecked: the context handle is an immutable token.
  let driver: DriverAPI
  let context: CUhandle?

  func allocate(bytes: Int) throws -> DevicePointer {
    try driver.check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent")
    var address: DevicePointer = 0
    try driver.check(driver.cuMemAlloc(&address, max(bytes, 1)), "cuMemAlloc_v2(\(bytes) bytes)")
    return address
  }

  func free(_ address: DevicePointer) {
    _ = driver.cuCtxSetCurrent(context)
    _ = driver.cuMemFree(address)
  }
}
