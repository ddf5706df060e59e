// The CUDA driver API (libcuda.so.1), bound at run time: the few functions the backend calls, declared here as
// `@convention(c)` types from the documented C signatures (CUresult is a C int, CUdeviceptr a 64-bit integer,
// handles are opaque pointers). Every call goes through `check`, which turns a status into a `CUDAError` with the
// function's name and CUDA's own error string.
// Refuses: the runtime API (libcudart), whose static parts would have to be linked.
import Foundation

typealias CUresult = Int32
typealias CUhandle = OpaquePointer
/// A device address.
public typealias DevicePointer = UInt64

/// Driver attributes we read (values of `CUdevice_attribute`).
enum DeviceAttribute: Int32 {
  case multiprocessorCount = 16
  case computeCapabilityMajor = 75
  case computeCapabilityMinor = 76
  case maxSharedMemoryPerBlockOptin = 97
}

/// The driver functions, loaded once per process by `DriverAPI.load()`.
struct DriverAPI: @unchecked Sendable {
  // @unchecked: immutable C function pointers; the driver API is thread-safe.
  typealias Status = @convention(c) () -> CUresult
  let library: DynamicLibrary
  let cuInit: @convention(c) (UInt32) -> CUresult
  let cuDriverGetVersion: @convention(c) (UnsafeMutablePointer<Int32>) -> CUresult
  let cuDeviceGetCount: @convention(c) (UnsafeMutablePointer<Int32>) -> CUresult
  let cuDeviceGet: @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> CUresult
  let cuDeviceGetName: @convention(c) (UnsafeMutablePointer<CChar>, Int32, Int32) -> CUresult
  let cuDeviceTotalMem: @convention(c) (UnsafeMutablePointer<Int>, Int32) -> CUresult
  let cuDeviceGetAttribute: @convention(c) (UnsafeMutablePointer<Int32>, Int32, Int32) -> CUresult
  let cuDevicePrimaryCtxRetain: @convention(c) (UnsafeMutablePointer<CUhandle?>, Int32) -> CUresult
  let cuCtxSetCurrent: @convention(c) (CUhandle?) -> CUresult
  let cuCtxSynchronize: Status
  let cuMemGetInfo: @convention(c) (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) -> CUresult
  let cuMemAlloc: @convention(c) (UnsafeMutablePointer<DevicePointer>, Int) -> CUresult
  let cuMemFree: @convention(c) (DevicePointer) -> CUresult
  let cuMemcpyHtoDAsync: @convention(c) (DevicePointer, UnsafeRawPointer?, Int, CUhandle?) -> CUresult
  let cuMemcpyDtoHAsync: @convention(c) (UnsafeMutableRawPointer?, DevicePointer, Int, CUhandle?) -> CUresult
  let cuMemcpyDtoDAsync: @convention(c) (DevicePointer, DevicePointer, Int, CUhandle?) -> CUresult
  let cuMemsetD8Async: @convention(c) (DevicePointer, UInt8, Int, CUhandle?) -> CUresult
  let cuMemHostAlloc: @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, Int, UInt32) -> CUresult
  let cuMemFreeHost: @convention(c) (UnsafeMutableRawPointer?) -> CUresult
  let cuStreamCreate: @convention(c) (UnsafeMutablePointer<CUhandle?>, UInt32) -> CUresult
  let cuStreamSynchronize: @convention(c) (CUhandle?) -> CUresult
  let cuModuleLoadData: @convention(c) (UnsafeMutablePointer<CUhandle?>, UnsafeRawPointer?) -> CUresult
  let cuModuleGetFunction:
    @convention(c) (UnsafeMutablePointer<CUhandle?>, CUhandle?, UnsafePointer<CChar>) -> CUresult
  let cuFuncSetAttribute: @convention(c) (CUhandle?, Int32, Int32) -> CUresult
  let cuLaunchKernel:
    @convention(c) (
      CUhandle?, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, CUhandle?,
      UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
    ) -> CUresult
  let cuGetErrorString: @convention(c) (CUresult, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> CUresult

  /// Sonames of the driver library: the driver installs libcuda.so.1; libcuda.so comes with the toolkit.
  static let sonames = ["libcuda.so.1", "libcuda.so"]

  /// Opens libcuda and resolves every function (the `_v2` entry points of the 64-bit API).
  static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DriverAPI {
    let lib = try DynamicLibrary.open(
      "libcuda", candidates: LibrarySearch.candidates(sonames: sonames, environment: environment))
    return try DriverAPI(
      library: lib, cuInit: lib.function("cuInit"),
      cuDriverGetVersion: lib.function("cuDriverGetVersion"),
      cuDeviceGetCount: lib.function("cuDeviceGetCount"), cuDeviceGet: lib.function("cuDeviceGet"),
      cuDeviceGetName: lib.function("cuDeviceGetName"), cuDeviceTotalMem: lib.function("cuDeviceTotalMem_v2"),
      cuDeviceGetAttribute: lib.function("cuDeviceGetAttribute"),
      cuDevicePrimaryCtxRetain: lib.function("cuDevicePrimaryCtxRetain"),
      cuCtxSetCurrent: lib.function("cuCtxSetCurrent"), cuCtxSynchronize: lib.function("cuCtxSynchronize"),
      cuMemGetInfo: lib.function("cuMemGetInfo_v2"), cuMemAlloc: lib.function("cuMemAlloc_v2"),
      cuMemFree: lib.function("cuMemFree_v2"), cuMemcpyHtoDAsync: lib.function("cuMemcpyHtoDAsync_v2"),
      cuMemcpyDtoHAsync: lib.function("cuMemcpyDtoHAsync_v2"),
      cuMemcpyDtoDAsync: lib.function("cuMemcpyDtoDAsync_v2"),
      cuMemsetD8Async: lib.function("cuMemsetD8Async"),
      cuMemHostAlloc: lib.function("cuMemHostAlloc"), cuMemFreeHost: lib.function("cuMemFreeHost"),
      cuStreamCreate: lib.function("cuStreamCreate"),
      cuStreamSynchronize: lib.function("cuStreamSynchronize"),
      cuModuleLoadData: lib.function("cuModuleLoadData"),
      cuModuleGetFunction: lib.function("cuModuleGetFunction"),
      cuFuncSetAttribute: lib.function("cuFuncSetAttribute"), cuLaunchKernel: lib.function("cuLaunchKernel"),
      cuGetErrorString: lib.function("cuGetErrorString"))
  }

  /// Throws `CUDAError.call` naming `function` unless `status` is CUDA_SUCCESS.
  func check(_ status: CUresult, _ function: String) throws {
    guard status != 0 else { return }
    var text: UnsafePointer<CChar>?
    let message =
      cuGetErrorString(status, &text) == 0 ? text.map { String(cString: $0) } ?? "" : "unknown error"
    throw CUDAError.call(function: function, status: status, message: message)
  }

  /// The driver's CUDA version as "major.minor" (12080 -> "12.8").
  func version() throws -> String {
    var v: Int32 = 0
    try check(cuDriverGetVersion(&v), "cuDriverGetVersion")
    return "\(v / 1000).\((v % 1000) / 10)"
  }
}

extension DynamicLibrary {
  /// The function `symbol` with its type inferred from the context.
  func function<F>(_ symbol: String) throws -> F { try function(symbol, as: F.self) }
}
